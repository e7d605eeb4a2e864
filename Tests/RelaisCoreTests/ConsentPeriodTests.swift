import Foundation
import RelaisCore
import Testing

/// «Votre accord vaut N mois»: the record's period is exactly N calendar months, 24 at most.
@Suite("Consent period in calendar months")
struct ConsentPeriodTests {
    /// Unix seconds of a UTC date.
    static func utc(_ y: Int, _ m: Int, _ d: Int, _ h: Int = 12) -> UInt64 {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return UInt64(c.date(from: DateComponents(year: y, month: m, day: d, hour: h))!.timeIntervalSince1970)
    }

    @Test(arguments: [
        (utc(2027, 3, 1), 24, utc(2029, 3, 1)),      // across 29 February 2028: 731 days
        (utc(2026, 1, 15), 24, utc(2028, 1, 15)),    // 730 days
        (utc(2027, 1, 31), 1, utc(2027, 2, 28)),     // no 31 February: the month's last day
        (utc(2028, 1, 31), 1, utc(2028, 2, 29)),
        (utc(2027, 6, 10), 6, utc(2027, 12, 10)),
    ])
    func monthsAreCalendarMonths(_ start: UInt64, _ months: Int, _ end: UInt64) {
        #expect(ConsentRecord.validUntil(grantedAt: start, months: months) == end)
    }

    @Test func twentyFourMonthsIsTheLongestPeriod() {
        for start in [Self.utc(2026, 1, 15), Self.utc(2027, 3, 1), Self.utc(2027, 12, 31, 23)] {
            let max = ConsentRecord.validUntil(grantedAt: start, months: 24)
            #expect(ConsentRecord.isValidPeriod(grantedAt: start, validUntil: max))
            #expect(!ConsentRecord.isValidPeriod(grantedAt: start, validUntil: max + 1))
            #expect(!ConsentRecord.isValidPeriod(grantedAt: start, validUntil: start))
            // The CLI's former count (30 days a month plus a day every two months) overshot 24 months.
            #expect(!ConsentRecord.isValidPeriod(grantedAt: start, validUntil: start + 24 * 30 * 86_400 + 12 * 86_400))
        }
    }
}
