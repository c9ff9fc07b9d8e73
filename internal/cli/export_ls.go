package cli

import (
	"encoding/json"
	"fmt"
	"path"

	"github.com/spf13/cobra"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/export"
)

// pointerRange parses --from and --to event pointers of stream, each
// optional (nil when not given).
func pointerRange(stream, from, to string) (lo, hi *braid.EventPointer, err error) {
	for _, p := range []struct {
		flag, v string
		dst     **braid.EventPointer
	}{{"--from", from, &lo}, {"--to", to, &hi}} {
		if p.v == "" {
			continue
		}
		ptr, err := parsePointer(stream, p.v)
		if err != nil {
			return nil, nil, usagef("invalid %s: %s", p.flag, message(err))
		}
		*p.dst = &ptr
	}
	if lo != nil && hi != nil && hi.String() < lo.String() {
		return nil, nil, usagef("--to %s is before --from %s", hi, lo)
	}
	return lo, hi, nil
}

const exportLsLong = `List the objects of an exported stream, in stream order: every segment's
objects by offset, older segments first. --from and --to (event pointers,
both included) select a range with one ListObjectsV2 request per 1,000
objects: StartAfter just before --from, and the segment's prefix when both
are in one segment. In batch mode an object is named by its first event,
so the range selects the batches that start in it.

It prints one key per line (the full key in the bucket), or with -o json
one JSON object per line: {"key", "pointer", "size"}.`

const exportLsExample = `  braid export ls s3://archive/braid/demo/events
  braid export ls s3://archive/braid/demo/events --from 0000000000000000-0000000000000040-0000000d --to 0000000000000000-0000000000000100-0000000d
  braid export ls s3://archive/braid/demo/events -o json | jq -r .pointer`

func newExportLsCmd(e *env) *cobra.Command {
	s := &s3Flags{}
	var from, to, output string
	cmd := &cobra.Command{
		Use:     "ls s3://BUCKET/PREFIX/SCOPE/STREAM",
		Short:   "List an exported stream's objects in stream order, or those of a pointer range",
		Long:    exportLsLong,
		Example: exportLsExample,
		Args:    argNames("s3://BUCKET/PREFIX/SCOPE/STREAM"),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, stream, err := parseS3StreamURL("export URL", args[0])
			if err != nil {
				return err
			}
			if output != "table" && output != "json" {
				return usagef("invalid --output %q: want table or json", output)
			}
			lo, hi, err := pointerRange(stream, from, to)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			st, err := s.store(ctx, cfg)
			if err != nil {
				return err
			}
			prefix, after := export.StreamPrefix(stream), ""
			if lo != nil {
				after = export.StartAfter(stream, *lo)
				if hi != nil && hi.SegmentID == lo.SegmentID {
					prefix = export.SegmentPrefix(stream, lo.SegmentID)
				}
			}
			last := ""
			if hi != nil {
				last = export.EventKey(stream, *hi)
			}
			enc := json.NewEncoder(e.stdout)
			for {
				page, err := st.List(ctx, prefix, after, 1000)
				if err != nil {
					return fmt.Errorf("list %s: %s", s3Location(cfg, stream), message(err))
				}
				for _, o := range page {
					if last != "" && o.Key > last {
						return nil
					}
					p, ok := export.ParseEventKey(stream, o.Key)
					if !ok {
						continue // the manifest
					}
					full := path.Join(cfg.Prefix, o.Key)
					if output == "json" {
						if err := enc.Encode(struct {
							Key     string `json:"key"`
							Pointer string `json:"pointer"`
							Size    int64  `json:"size"`
						}{full, p.String(), o.Size}); err != nil {
							return err
						}
					} else if _, err := fmt.Fprintln(e.stdout, full); err != nil {
						return err
					}
				}
				if len(page) < 1000 {
					return nil
				}
				after = page[len(page)-1].Key
			}
		},
	}
	s.add(cmd)
	f := cmd.Flags()
	f.StringVar(&from, "from", "", "the first event `POINTER` to list (included)")
	f.StringVar(&to, "to", "", "the last event `POINTER` to list (included)")
	f.StringVarP(&output, "output", "o", "table", "table (one key per line) | json (one object per line)")
	return cmd
}
