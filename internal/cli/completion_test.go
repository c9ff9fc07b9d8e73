package cli

import (
	"context"
	"slices"
	"testing"

	"github.com/spf13/cobra"

	"github.com/braidstream/braid"
)

func TestArgKinds(t *testing.T) {
	for _, tc := range []struct {
		use  string
		want []nameKind
	}{
		{"list", nil},
		{"describe SCOPE/STREAM", []nameKind{kindStream}},
		{"upload FILE SCOPE/STREAM", []nameKind{kindFile, kindStream}},
		{"checkpoint SCOPE/GROUP NAME", []nameKind{kindGroup, ""}},
		{"truncate SCOPE/STREAM --cut CUT", []nameKind{kindStream}},
		{"read (SCOPE/STREAM | --group SCOPE/GROUP [--reader ID])", []nameKind{kindStream}},
		{"fetch POINTER", []nameKind{""}},
	} {
		if got := argKinds(tc.use); !slices.Equal(got, tc.want) {
			t.Errorf("argKinds(%q) = %q, want %q", tc.use, got, tc.want)
		}
	}
}

type fakeLister struct{}

func (fakeLister) ListScopes(context.Context) ([]string, error) { return []string{"demo", "ops"}, nil }
func (fakeLister) ListStreams(_ context.Context, scope string) ([]braid.StreamInfo, error) {
	return []braid.StreamInfo{{Scope: scope, Name: "events"}, {Scope: scope, Name: "files"}}, nil
}
func (fakeLister) ListReaderGroups(_ context.Context, scope string) ([]braid.GroupInfo, error) {
	return []braid.GroupInfo{{Scope: scope, Name: "billing"}}, nil
}

func TestListNames(t *testing.T) {
	for _, tc := range []struct {
		kind      nameKind
		typed     string
		want      []string
		directive cobra.ShellCompDirective
	}{
		{kindScope, "", []string{"demo", "ops"}, cobra.ShellCompDirectiveDefault},
		{kindStream, "de", []string{"demo/", "ops/"}, cobra.ShellCompDirectiveNoSpace},
		{kindStream, "demo/", []string{"demo/events", "demo/files"}, cobra.ShellCompDirectiveDefault},
		{kindGroup, "ops/b", []string{"ops/billing"}, cobra.ShellCompDirectiveDefault},
	} {
		got, d, err := listNames(context.Background(), fakeLister{}, tc.kind, tc.typed)
		if err != nil || !slices.Equal(got, tc.want) || d != tc.directive {
			t.Errorf("listNames(%s, %q) = %q, %v, %v; want %q, %v", tc.kind, tc.typed, got, d, err, tc.want, tc.directive)
		}
	}
}
