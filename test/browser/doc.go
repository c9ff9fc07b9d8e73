// Package browser holds the dashboard's browser test: a real braid server,
// a stream written to continuously, and headless Chromium (Debian's
// chromium package) driven through the DevTools protocol, checking the
// pages through their DOM and saving a screenshot of each.
package browser
