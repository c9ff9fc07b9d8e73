// Package group is the server side of reader groups: a named set of
// readers ("scope/name") that share the segments of one or more streams,
// each stream read between a start cut and an optional end cut. The
// Manager coordinates every group of a server; internal/grpcapi turns a
// reader's stream of messages into one Session, and internal/server
// builds the Manager and runs Manager.Run.
//
// # State and where it lives
//
// The durable state of a group is one record (record.go), stored as JSON
// under the metadata key "groups/<scope>/<name>" and written with the
// version last read (compare-and-set). It holds the configuration, the
// generation (raised by every reset), the active segments (key range,
// committed offset, end offset or -1), the done segments (end offset; Last
// when the group's end cut ended it, so its successors are not read), the
// last 16 completed checkpoints and the events and bytes readers reported
// (for the lag estimate). Membership is only in memory: the readers in id
// order, who owns which segment, which segments are being released, the
// pending checkpoint. After a restart readers join again and get their
// segments at the committed offsets.
//
// # Sessions
//
//   - Join adds a reader (1 to 256 bytes of id); a live reader of the same
//     id is removed first. The reader then waits on Session.Next for
//     Assignments: Acquire (segment, key range, offset, end), Release (hand
//     this segment back), Checkpoint (mark your position), Reset (drop
//     everything, a new generation follows), Finished (nothing is left).
//   - Update carries commits, releases, finished segments, a checkpoint
//     passed and the events and bytes read; an empty one is a heartbeat.
//     An Update of another generation only counts as a heartbeat. Positions
//     apply only to segments the reader owns and only move forward. A
//     heartbeat or a commit never rebalances; a release or a finish does.
//   - Leave removes the reader at its final positions; Drop (the
//     connection closed) removes it at the committed offsets.
//   - A reader silent for longer than the group's reader timeout (default
//     10 s) is removed by the expiry pass of Manager.Run (every 100 ms);
//     readers are told to send every quarter of the timeout
//     (HeartbeatInterval). A removed reader's Next fails with ErrNotMember;
//     it may join again.
//
// # Assignment and rebalancing (rebalanceLocked)
//
// After every join, removal, release and finish:
//
//   - Waiting active segments, in record order, each go to the reader of
//     least load (load: segments owned and not being released; ties go to
//     the first reader in id order).
//   - Then, while the most loaded reader holds more than one segment more
//     than the least loaded one (counting segments already promised to
//     it), the most loaded is asked to release a segment: its newest (the
//     highest id) of the first stream (in name order) that it is not
//     already releasing. The segment stays its own until it answers with
//     Released, at the position after the last event it returned; the next
//     rebalance hands it on from there.
//   - A finished segment is done; each of its successors becomes active
//     (at its truncation start, or done at once if the end cut is already
//     reached) only when all of that successor's predecessors are done, so a
//     key's events in an older segment are read before those in a newer
//     one, by whichever readers. A done segment is dropped from the record
//     once all its successors have started.
//   - While a checkpoint is pending nothing moves: no segment is handed
//     out or asked back, and successors of segments finished meanwhile
//     start only when it ends.
//   - When no segment is active (and no checkpoint pending) every reader
//     is told Finished.
//
// # Checkpoints and resets
//
// A checkpoint asks every reader present to pass it. Its cut starts as the
// group's position (record.position: active segments at their offsets,
// done segments on the frontier at their ends); a reader's segments count
// at its offsets when it passes, leaves or dies, a segment it finishes
// first at its end. It completes, and is stored, when no reader is waited
// for; a caller that gives up abandons it. Manager.Reset (to a checkpoint
// or a new configuration) starts again from new start cuts under a new
// generation: every reader drops its segments and gets new ones.
//
// # Positions (position.go)
//
// No position is stored unless a reader could start there: at or before
// the segment's truncation start (handed out at the start), an event
// boundary, or its length; past the tail is refused with
// segstore.ErrOffsetOutOfRange, inside an event with
// segstore.ErrNotEventBoundary, both wrapped in ErrBadPosition and counted
// as the limits hit "group-commit". A finish must be at the group's end
// offset or at the length of a sealed segment. A refused message applies
// in nothing; the caller ends the session and the segments go on from the
// stored positions. Start and end cuts are checked the same way (an end cut
// may lie past the tail). Positions stored bad by older builds are moved to
// a readable one when New loads the group, and again before hand-out.
//
// # Metrics (metrics.go)
//
// Computed at each scrape, labelled by group: braid_group_lag_bytes,
// braid_group_lag_events (absent before any event was read),
// braid_group_readers and braid_group_segments{state="assigned"|"waiting"}.
//
// # Invariants
//
// Under group.mu: a segment is owned by at most one reader, and owner and
// member.segs say the same; only active segments are owned, and only owned
// ones are being released; no segment is both active and done; order is
// the readers sorted by id; a committed offset only grows within a
// generation (but for fitting it back into the segment); every stored
// offset passed the checks above. Position checks read the segment store
// without group.mu (ownership and generation are checked again after).
// rebalance_test.go drives these rules as a table of cases.
package group
