package cli

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/braidstream/braid/internal/tier2/s3"
)

// s3Flags are the S3 connection flags of export and import (serve has
// its own, for tier 2, with the same names).
type s3Flags struct {
	endpoint, region, accessKey, secretKey string
	pathStyle                              bool
	attempts                               int
}

func (f *s3Flags) add(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.endpoint, "s3-endpoint", "", "S3 endpoint URL for S3-compatible servers (default: $AWS_ENDPOINT_URL, else AWS)")
	fl.StringVar(&f.region, "s3-region", "", "S3 region (default: $AWS_REGION or the AWS config, else us-east-1)")
	fl.StringVar(&f.accessKey, "s3-access-key", "", "S3 access key (default: $AWS_ACCESS_KEY_ID, $AWS_PROFILE and the usual AWS credential chain)")
	fl.StringVar(&f.secretKey, "s3-secret-key", "", "S3 secret key (with --s3-access-key; prefer $AWS_SECRET_ACCESS_KEY)")
	fl.BoolVar(&f.pathStyle, "s3-path-style", false, "address buckets as ENDPOINT/BUCKET (default: on for an endpoint that is an IP address or localhost)")
	fl.IntVar(&f.attempts, "s3-attempts", 10, "tries of one S3 request (throttling, 5xx and dropped connections are retried with backoff)")
}

// endpointOf is the S3 endpoint the flags or the environment name, "" for
// AWS.
func (f *s3Flags) endpointOf() string {
	for _, e := range []string{f.endpoint, os.Getenv("AWS_ENDPOINT_URL_S3"), os.Getenv("AWS_ENDPOINT_URL")} {
		if e != "" {
			return e
		}
	}
	return ""
}

// config is the bucket configuration of the s3:// URL raw with the flags,
// for endpoint: path-style addressing for an endpoint that is an IP
// address or localhost.
func (f *s3Flags) config(raw, endpoint string) (s3.Config, error) {
	cfg, err := parseS3URL("bucket URL", raw)
	if err != nil {
		return s3.Config{}, err
	}
	cfg.Region, cfg.PathStyle = f.region, f.pathStyle
	if endpoint != "" {
		u, err := url.Parse(endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return s3.Config{}, usagef("invalid S3 endpoint %q: want a URL such as http://127.0.0.1:7070", endpoint)
		}
		host := u.Hostname()
		cfg.PathStyle = f.pathStyle || host == "localhost" || net.ParseIP(host) != nil
	}
	return cfg, nil
}

// store opens the bucket of cfg (from an s3:// URL) and checks that it can
// be reached.
func (f *s3Flags) store(ctx context.Context, cfg s3.Config) (*s3.Store, error) {
	if f.attempts < 1 {
		return nil, usagef("invalid --s3-attempts %d: want 1 or more", f.attempts)
	}
	endpoint := f.endpointOf()
	pc, err := f.config("s3://"+cfg.Bucket, endpoint)
	if err != nil {
		return nil, err
	}
	cfg.Endpoint, cfg.Region, cfg.PathStyle = f.endpoint, f.region, pc.PathStyle
	cfg.AccessKey, cfg.SecretKey = f.accessKey, f.secretKey
	cfg.MaxAttempts = f.attempts
	st, err := s3.New(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := st.CheckBucket(ctx); err != nil {
		where := "AWS"
		if endpoint != "" {
			where = endpoint
		}
		return nil, fmt.Errorf("S3 at %s: %w", where, err)
	}
	return st, nil
}

// parseS3URL parses s3://BUCKET[/PREFIX] for flag or argument what.
func parseS3URL(what, raw string) (s3.Config, error) {
	cfg, err := s3.ParseURL(raw)
	if err != nil {
		return s3.Config{}, usagef("invalid %s: %s", what, strings.TrimPrefix(err.Error(), "tier2/s3: "))
	}
	return cfg, nil
}

// parseS3StreamURL parses s3://BUCKET/PREFIX/SCOPE/STREAM: the last two
// parts of the path name the exported stream.
func parseS3StreamURL(what, raw string) (s3.Config, string, error) {
	cfg, err := parseS3URL(what, raw)
	if err != nil {
		return s3.Config{}, "", err
	}
	parts := strings.Split(cfg.Prefix, "/")
	if len(parts) < 2 {
		return s3.Config{}, "", usagef("invalid %s %q: want s3://BUCKET/PREFIX/SCOPE/STREAM (the export's location and the stream's name in it)", what, raw)
	}
	stream := strings.Join(parts[len(parts)-2:], "/")
	if _, err := streamArg(stream); err != nil {
		return s3.Config{}, "", usagef("invalid %s %q: %s", what, raw, message(err))
	}
	cfg.Prefix = strings.Join(parts[:len(parts)-2], "/")
	return cfg, stream, nil
}

// s3Location prints where an export's objects are.
func s3Location(cfg s3.Config, stream string) string {
	if cfg.Prefix == "" {
		return fmt.Sprintf("s3://%s/%s/", cfg.Bucket, stream)
	}
	return fmt.Sprintf("s3://%s/%s/%s/", cfg.Bucket, cfg.Prefix, stream)
}
