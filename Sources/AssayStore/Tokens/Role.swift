/// Who a request acts as.
public enum Role: String, Sendable, CaseIterable {
    /// Writes the registry.
    case registrar
    /// Acts only for its own party.
    case `operator`
    /// Reads everything, confidential included.
    case auditor
    /// No token: reads what is public.
    case `public`
}
