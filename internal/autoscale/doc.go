// Package autoscale splits hot segments and merges cold ones of the streams
// whose scaling policy is by event rate ("events") or data rate ("bytes"),
// after Pravega's auto-scaling rules.
//
// # Counting
//
// The append path calls Recorder.Record for every batch it stores. The
// recorder counts events and bytes per segment in time buckets: a ring per
// segment that spans the longest window (the shortest window is about 24
// buckets; 5 s buckets with the default windows). Only the streams the
// Scaler tracks are counted: those that were active with an auto policy at
// its last evaluation. At each evaluation the counters of the other streams
// (sealed, deleted, made fixed) and of the segments a scale sealed are
// dropped, so nothing grows without bound. Counting starts when a stream is
// first tracked: after a restart, or a policy change from fixed, the rates
// build up from nothing, as if the stream were new.
//
// # Rates
//
// A segment's rate over a window is what was appended to it in the window,
// per second, in the policy's unit (events or bytes). The windows are 2, 5,
// 10 and 20 minutes by default (Options.Windows). A window that reaches back
// before the segment was made (or before counting began) is cut there, so a
// fresh split's rate is not diluted by time it did not exist; a segment
// counted for less than the shortest window is not judged at all.
//
// # Rules
//
// With T the policy's Target (per segment per second):
//
//   - A segment is hot if its rate is above 5T over the 2-minute window, or
//     above 2T over the 5-minute window, or above T over the 10-minute
//     window. The hottest segment (largest ratio of rate to threshold) is
//     split into min(ScaleFactor, ceil(rate/T)) equal key ranges, at least
//     2, where rate is its highest rate over those three windows (and never
//     beyond controller.MaxSplit, or controller.MaxSegments in all).
//   - A segment is cold if its rate is below T over the 2-, 5- and
//     10-minute windows and below T/2 over the 20-minute window. Only a
//     segment counted for at least the longest window can be cold: a new
//     segment is never merged before it is that old. Two neighbouring cold
//     segments (the pair with the lowest 20-minute rate) are merged into
//     one, if the stream has more than MinSegments segments and if the
//     merged segment would not be hot (no split-merge flapping). A merge
//     joins exactly two segments.
//   - Splits come first: a stream with a hot segment that can be split
//     (not too narrow, not at controller.MaxSegments) is not merged in the
//     same pass. A stream gets at most one scaling per pass.
//   - Cooldown: a stream is not scaled again until Options.Cooldown (10
//     minutes) after its last scaling, by this scaler or anyone else: the
//     creation of its current epoch. A stream's first epoch (its creation)
//     does not start a cooldown.
//
// Scale conflicts (another scaling of the same segments came first) and
// streams sealed or deleted meanwhile are logged and skipped: the next pass
// sees the new layout. Every decision is logged with the stream, the
// segments and their rates, and the reason.
//
// # Running
//
// New makes a Scaler (and its Recorder); the owner hands Recorder() to the
// append path and runs Run in a goroutine. Evaluate makes one pass, for
// tests. Metrics: braid_autoscale_scalings_total{direction="up"|"down"},
// braid_autoscale_errors_total, braid_autoscale_stream_rate{scope,stream}
// (the stream's rate over the shortest window) and
// braid_autoscale_tracked_segments.
package autoscale
