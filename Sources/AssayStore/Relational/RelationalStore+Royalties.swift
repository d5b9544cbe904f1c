import AssayDomain

extension RelationalStore {
    /// The royalty schedule of the registry's jurisdiction, given by the program that opened the store
    /// (the command line loads the shipped table of the DRC's 2018 Mining Code), as the geography is: the
    /// server reads it from here, so it needs no reference-data parser of its own. Nil until given.
    public var royalties: RoyaltySchedule? { royaltySchedule.withLock { $0 } }

    /// Gives the store the royalty schedule its reports and pages use.
    public func useRoyalties(_ schedule: RoyaltySchedule) {
        royaltySchedule.withLock { $0 = schedule }
    }
}
