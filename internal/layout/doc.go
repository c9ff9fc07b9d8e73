// Package layout holds no code. Its test walks the module's Go files and
// checks the rules that keep braid's packages apart: which package may import
// which, and that no production code sleeps. The rules are listed in
// docs/architecture.md ("Layout rules").
package layout
