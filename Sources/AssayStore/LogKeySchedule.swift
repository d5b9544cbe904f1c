import AssayDomain

/// Which keys sign the log's checkpoints at each size: the first key, then each `rotate-log-key` entry's
/// key from the checkpoint that covers that entry on, with the key before it still signing until the
/// rotation's transition ends. A pure value, read from the journal's projection.
public struct LogKeySchedule: Sendable, Hashable {
    /// One rotation: the entry that made it, the new verifier key, the end of its transition.
    public struct Rotation: Sendable, Hashable {
        public var sequence: Int64
        public var key: String
        public var transitionUntil: Timestamp
    }

    /// The verifier key the log was created with.
    public var first: String
    public var rotations: [Rotation]

    public init(first: String, rotations: [Rotation]) {
        self.first = first
        self.rotations = rotations.sorted { $0.sequence < $1.sequence }
    }

    /// The key that signs the newest checkpoints.
    public var current: String { rotations.last?.key ?? first }

    /// Every key, oldest first.
    public var keys: [String] { [first] + rotations.map(\.key) }

    /// The key that must sign a checkpoint of `size` (the newest rotation whose entry it covers), and
    /// the key before it.
    public func keys(atSize size: Int) -> (current: String, previous: String?) {
        let applied = rotations.filter { $0.sequence <= Int64(size) }
        guard let last = applied.last else { return (first, nil) }
        return (last.key, applied.count >= 2 ? applied[applied.count - 2].key : first)
    }

    /// The keys that sign a checkpoint of `size` made at `time`: the current one, and the one before
    /// it while the rotation's transition lasts.
    public func signingKeys(size: Int, time: Timestamp) -> [String] {
        let (current, previous) = keys(atSize: size)
        guard let previous, let rotation = rotations.last(where: { $0.sequence <= Int64(size) }), time <= rotation.transitionUntil else {
            return [current]
        }
        return [current, previous]
    }
}
