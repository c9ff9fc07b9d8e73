package cli

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/braidstream/braid"
)

// completionTimeout bounds the server calls behind one <TAB>: a shell that
// hangs on completion is worse than one that offers nothing.
const completionTimeout = 2 * time.Second

// nameKind is what a positional argument or a flag names, as the command's
// Use line spells it.
type nameKind string

const (
	kindScope  nameKind = "SCOPE"
	kindStream nameKind = "SCOPE/STREAM"
	kindGroup  nameKind = "SCOPE/GROUP"
	kindFile   nameKind = "FILE"
)

// flagKinds are the flags that name a stream or a reader group, on every
// command that has them.
var flagKinds = map[string]nameKind{"stream": kindStream, "group": kindGroup}

// addCompletion makes every command under root complete the scopes,
// streams and reader groups it takes, asking the server named by --addr.
// The positional arguments are read off each command's Use line
// ("describe SCOPE/STREAM", "upload FILE SCOPE/STREAM"), so a new command
// completes its names without more code.
func addCompletion(root *cobra.Command) {
	var walk func(cmd *cobra.Command)
	walk = func(cmd *cobra.Command) {
		if !cmd.HasSubCommands() && cmd.ValidArgsFunction == nil {
			cmd.ValidArgsFunction = completeArgs(argKinds(cmd.Use))
		}
		for name, kind := range flagKinds {
			if cmd.LocalNonPersistentFlags().Lookup(name) != nil {
				// Registering twice is refused with an error; a command
				// that registered its own keeps it.
				_ = cmd.RegisterFlagCompletionFunc(name, completeFlag(kind))
			}
		}
		for _, sub := range cmd.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// argKinds returns the kinds of the positional arguments of a Use line:
// the words after the command's name, up to the first flag or option
// group, with grouping marks dropped. An argument of another kind (NAME,
// POINTER) is "" and completes nothing (not even file names).
func argKinds(use string) []nameKind {
	words := strings.Fields(use)
	var kinds []nameKind
	for _, w := range words[min(1, len(words)):] {
		w = strings.TrimLeft(w, "([")
		if w == "" || strings.HasPrefix(w, "-") || w == "|" {
			break
		}
		w = strings.TrimRight(w, ")]")
		switch k := nameKind(w); k {
		case kindScope, kindStream, kindGroup, kindFile:
			kinds = append(kinds, k)
		default:
			kinds = append(kinds, "")
		}
	}
	return kinds
}

// completeArgs completes the positional argument len(args) by its kind.
func completeArgs(kinds []nameKind) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) >= len(kinds) {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return completeName(cmd, kinds[len(args)], toComplete)
	}
}

// completeFlag completes a flag's value by its kind.
func completeFlag(kind nameKind) cobra.CompletionFunc {
	return func(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return completeName(cmd, kind, toComplete)
	}
}

// completeName lists the names of kind that begin with toComplete. Before
// the '/' of a stream or group name it offers the scopes, each followed by
// '/' and no space; after it, the scope's streams or groups. A server that
// cannot be reached offers nothing: completion never prints an error.
func completeName(cmd *cobra.Command, kind nameKind, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	switch kind {
	case kindFile:
		return nil, cobra.ShellCompDirectiveDefault
	case "":
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	ctx, cancel := context.WithTimeout(cmd.Context(), completionTimeout)
	defer cancel()
	r := &remote{cmd: cmd}
	c, err := r.dial(ctx)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveError
	}
	defer c.Close()
	names, directive, err := listNames(ctx, c, kind, toComplete)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveError
	}
	var out []cobra.Completion
	for _, n := range names {
		if strings.HasPrefix(n, toComplete) {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out, directive | cobra.ShellCompDirectiveNoFileComp
}

// lister is the part of the client that completion asks.
type lister interface {
	ListScopes(ctx context.Context) ([]string, error)
	ListStreams(ctx context.Context, scope string) ([]braid.StreamInfo, error)
	ListReaderGroups(ctx context.Context, scope string) ([]braid.GroupInfo, error)
}

// listNames returns the candidates for kind given what is typed so far.
func listNames(ctx context.Context, c lister, kind nameKind, toComplete string) ([]string, cobra.ShellCompDirective, error) {
	scope, _, qualified := strings.Cut(toComplete, "/")
	if kind == kindScope || !qualified {
		scopes, err := c.ListScopes(ctx)
		if err != nil || kind == kindScope {
			return scopes, cobra.ShellCompDirectiveDefault, err
		}
		for i, s := range scopes {
			scopes[i] = s + "/"
		}
		return scopes, cobra.ShellCompDirectiveNoSpace, nil
	}
	var names []string
	if kind == kindStream {
		streams, err := c.ListStreams(ctx, scope)
		if err != nil {
			return nil, 0, err
		}
		for _, s := range streams {
			names = append(names, scope+"/"+s.Name)
		}
	} else {
		groups, err := c.ListReaderGroups(ctx, scope)
		if err != nil {
			return nil, 0, err
		}
		for _, g := range groups {
			names = append(names, scope+"/"+g.Name)
		}
	}
	return names, cobra.ShellCompDirectiveDefault, nil
}
