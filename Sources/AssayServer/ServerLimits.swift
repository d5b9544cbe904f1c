/// What one client may ask of the server: write rates per token and per address, how many connections
/// it keeps open at once, and how long a request may take to arrive.
///
/// `assay serve` sets production defaults (see its `--help`); ``unlimited`` is for in-process tests and
/// benchmarks that measure the server itself.
public struct ServerLimits: Sendable {
    /// A token bucket: `perSecond` refilled continuously, up to `burst`. `perSecond == 0` means no limit.
    public struct Rate: Sendable, Hashable {
        public var perSecond: Double
        public var burst: Double
        public init(perSecond: Double, burst: Double) { self.perSecond = perSecond; self.burst = burst }
        public static let none = Rate(perSecond: 0, burst: 0)
        public var isLimited: Bool { perSecond > 0 }
    }

    /// Writes (any method but GET and HEAD) per API token.
    public var writesPerToken: Rate
    /// Writes per client IP address, whoever it authenticates as.
    public var writesPerAddress: Rate
    /// Open connections at once; further ones wait in the kernel's backlog until one closes.
    public var maxConnections: Int?
    /// Time a client has to deliver a whole request (head and body) after connecting or after its
    /// previous response; a client that sends one byte a second is cut off when it runs out.
    public var requestTimeout: Duration?
    /// Records a filtered list reads before it answers what it found with a cursor to continue from.
    public var listScanLimit: Int

    public init(writesPerToken: Rate, writesPerAddress: Rate, maxConnections: Int?, requestTimeout: Duration?, listScanLimit: Int = 100_000) {
        self.writesPerToken = writesPerToken
        self.writesPerAddress = writesPerAddress
        self.maxConnections = maxConnections
        self.requestTimeout = requestTimeout
        self.listScanLimit = listScanLimit
    }

    /// No limits at all.
    public static let unlimited = ServerLimits(writesPerToken: .none, writesPerAddress: .none, maxConnections: nil, requestTimeout: nil)

    /// The defaults of `assay serve`: 50 writes a second per token (bursts of 200 — a batch of NDJSON
    /// events is one write), 100 per address (bursts of 400), 1,024 connections, 30 s per request.
    public static let standard = ServerLimits(writesPerToken: Rate(perSecond: 50, burst: 200),
                                              writesPerAddress: Rate(perSecond: 100, burst: 400),
                                              maxConnections: 1024, requestTimeout: .seconds(30))
}
