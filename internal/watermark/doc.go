// Package watermark computes and keeps the watermarks of streams.
//
// A writer notes time: it reports a time T with its position P (per
// segment, the end of what it had acknowledged), and so promises to write
// nothing older than T after P. A stream's watermark is a mark: the least
// time over the stream's active writers (lower), the greatest (upper), and
// a cut: per segment, the greatest position any of them reported,
// completed with the segments of the current epoch that no reported
// position covers, at their length when the mark is made. Every event
// after the cut is at or after lower.
//
// Robustness, where Pravega's users were hurt:
//   - a writer that closes is removed at once;
//   - a writer silent for longer than the stream's timestamp aggregation
//     timeout stops holding the watermark back (it is kept, inactive, and
//     counts again when it reports);
//   - the watermark is over writers, not segments: a segment no writer
//     writes to never holds it back (it enters the cut at its length, so a
//     reader at its end has passed it);
//   - a scale does not reset it: positions in sealed segments stay
//     meaningful, a segment whose successor is in the cut is dropped from
//     it, and each mark's cut is at or after the one before.
//
// Marks only move forward: a mark is made when lower passes the previous
// mark's. They are appended to the stream's mark log, an internal segment
// beside the stream's data segments (never one of them), so that they
// survive a restart; the log is truncated with the stream's retention and
// deleted with the stream. Writers' reports are kept in memory only: after
// a restart the watermark stays at the last mark until writers report
// again.
//
// A reader's time window (Window) comes from the marks around its
// position: lower is the lower time of the last mark whose cut the
// position has passed, upper the upper time of the first mark it has not.
package watermark
