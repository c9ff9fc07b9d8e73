// Package s3 is the tier2.Store backend for Amazon S3 and S3-compatible
// servers (MinIO, versitygw, ...), built on aws-sdk-go-v2.
//
// # Configuration
//
// A Config names the bucket and an optional key prefix; ParseURL builds one
// from "s3://BUCKET/PREFIX". Endpoint is optional (empty: AWS itself, else
// e.g. "http://127.0.0.1:7070" for a local server); set PathStyle for
// servers that do not serve virtual-hosted buckets (MinIO, versitygw,
// anything addressed as localhost). Region defaults to the AWS config chain's
// region, else "us-east-1". When AccessKey is empty the credentials come
// from the usual AWS chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY,
// AWS_PROFILE and the shared config files, SSO, instance roles); otherwise
// AccessKey/SecretKey are used as static credentials. The bucket must exist.
//
// Request and response checksums are computed only when the operation
// requires them, which keeps third-party S3 servers happy; bodies are
// always seekable (bytes.Reader) so SigV4 can hash them.
//
// # Key layout
//
// A tier-2 key k is stored as the object "PREFIX/k" in the bucket, or as
// "k" when the prefix is empty; the prefix never carries a leading or
// trailing "/", so no key contains "//". List strips the prefix again, so
// callers only ever see tier-2 keys.
package s3

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/braidstream/braid/internal/tier2"
)

// DefaultRegion is used when neither Config nor the AWS config chain names
// a region.
const DefaultRegion = "us-east-1"

// Config says where a Store keeps its objects and how it reaches them.
type Config struct {
	// Bucket is the (existing) bucket's name. Required.
	Bucket string
	// Prefix is prepended to every key, joined with "/". Optional; leading
	// and trailing "/" are ignored.
	Prefix string
	// Endpoint is the server's base URL, e.g. "http://127.0.0.1:7070".
	// Empty: AWS's regional endpoint.
	Endpoint string
	// Region is the signing region; empty: the AWS config chain's, else
	// DefaultRegion.
	Region string
	// AccessKey and SecretKey are static credentials; empty AccessKey: the
	// AWS credential chain.
	AccessKey, SecretKey string
	// PathStyle addresses buckets as ENDPOINT/BUCKET/KEY instead of
	// BUCKET.ENDPOINT/KEY. Needed by most non-AWS servers.
	PathStyle bool
	// MaxAttempts bounds the tries of one request, retries of throttled
	// (503 SlowDown), failed (5xx) and dropped requests included, with
	// jittered exponential backoff up to 20 s. 0: the SDK's default (3)
	// with its client-side retry quota; set, the quota is off, so that a
	// long throttling is waited out rather than failed.
	MaxAttempts int
	// Conns is how many connections to the server are kept open for
	// reuse; 0: the SDK's 10. Set it to the requests in flight at once.
	Conns int
	// WrapHTTPClient, if set, wraps the SDK's HTTP client (as the AWS
	// settings made it, a custom CA bundle included): for counting
	// requests or injecting faults.
	WrapHTTPClient func(aws.HTTPClient) aws.HTTPClient
}

// Store is a tier2.Store over one S3 bucket and prefix. It is safe for
// concurrent use.
type Store struct {
	client *s3.Client
	bucket string
	prefix string // "" or "p/q/" (always with a trailing "/")
}

var _ tier2.Store = (*Store)(nil)

// ParseURL parses "s3://BUCKET" or "s3://BUCKET/PREFIX" into a Config
// (Bucket and Prefix only; the rest is left for the caller to fill in).
func ParseURL(raw string) (Config, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return Config{}, fmt.Errorf("tier2/s3: bad URL %q: %v (want s3://BUCKET/PREFIX)", raw, err)
	}
	if u.Scheme != "s3" {
		return Config{}, fmt.Errorf("tier2/s3: bad URL %q: scheme must be \"s3\" (want s3://BUCKET/PREFIX)", raw)
	}
	if u.Opaque != "" {
		return Config{}, fmt.Errorf("tier2/s3: bad URL %q: missing \"//\" after \"s3:\" (want s3://BUCKET/PREFIX)", raw)
	}
	if u.User != nil {
		return Config{}, fmt.Errorf("tier2/s3: bad URL %q: credentials do not belong in the URL", raw)
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return Config{}, fmt.Errorf("tier2/s3: bad URL %q: no query or fragment allowed (want s3://BUCKET/PREFIX)", raw)
	}
	if u.Port() != "" {
		return Config{}, fmt.Errorf("tier2/s3: bad URL %q: the host part is the bucket name, not a server address (set the endpoint separately)", raw)
	}
	cfg := Config{Bucket: u.Host, Prefix: strings.TrimPrefix(u.Path, "/")}
	if cfg.Bucket == "" {
		return Config{}, fmt.Errorf("tier2/s3: bad URL %q: missing bucket name (want s3://BUCKET/PREFIX)", raw)
	}
	if err := validBucket(cfg.Bucket); err != nil {
		return Config{}, fmt.Errorf("tier2/s3: bad URL %q: %w", raw, err)
	}
	if strings.Contains(u.Path, "//") {
		return Config{}, fmt.Errorf("tier2/s3: bad URL %q: bad prefix: %w %q: empty path part", raw, tier2.ErrInvalidKey, cfg.Prefix)
	}
	if _, err := normPrefix(cfg.Prefix); err != nil {
		return Config{}, fmt.Errorf("tier2/s3: bad URL %q: %w", raw, err)
	}
	cfg.Prefix = strings.TrimSuffix(cfg.Prefix, "/")
	return cfg, nil
}

// validBucket checks the S3 bucket naming rules (3-63 bytes of lower-case
// letters, digits, "." and "-", starting and ending with a letter or digit).
func validBucket(b string) error {
	if len(b) < 3 || len(b) > 63 {
		return fmt.Errorf("bucket name %q must be 3 to 63 characters", b)
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		alnum := c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
		if !alnum && c != '.' && c != '-' {
			return fmt.Errorf("bucket name %q: character %q not allowed (use a-z 0-9 . -)", b, c)
		}
		if !alnum && (i == 0 || i == len(b)-1) {
			return fmt.Errorf("bucket name %q must start and end with a letter or digit", b)
		}
	}
	return nil
}

// normPrefix validates a configured prefix and returns it as "" or "p/q/".
func normPrefix(p string) (string, error) {
	p = strings.TrimSuffix(strings.TrimPrefix(p, "/"), "/")
	if p == "" {
		return "", nil
	}
	if err := tier2.ValidKey(p); err != nil {
		return "", fmt.Errorf("bad prefix: %w", err)
	}
	return p + "/", nil
}

// New returns a Store for cfg. It does not contact the server.
func New(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.Bucket == "" {
		return nil, errors.New("tier2/s3: no bucket configured")
	}
	if err := validBucket(cfg.Bucket); err != nil {
		return nil, fmt.Errorf("tier2/s3: %w", err)
	}
	prefix, err := normPrefix(cfg.Prefix)
	if err != nil {
		return nil, fmt.Errorf("tier2/s3: %w", err)
	}
	if cfg.AccessKey == "" && cfg.SecretKey != "" {
		return nil, errors.New("tier2/s3: secret key set without an access key")
	}
	opts := []func(*config.LoadOptions) error{
		config.WithRequestChecksumCalculation(aws.RequestChecksumCalculationWhenRequired),
		config.WithResponseChecksumValidation(aws.ResponseChecksumValidationWhenRequired),
	}
	if cfg.Region != "" {
		opts = append(opts, config.WithRegion(cfg.Region))
	}
	if cfg.MaxAttempts > 0 {
		opts = append(opts, config.WithRetryer(func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = cfg.MaxAttempts
				o.RateLimiter = ratelimit.None
			})
		}))
	}
	if cfg.Conns > 0 {
		opts = append(opts, config.WithHTTPClient(awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) {
			tr.MaxIdleConnsPerHost = cfg.Conns
			tr.MaxIdleConns = max(tr.MaxIdleConns, cfg.Conns)
		})))
	}
	if cfg.AccessKey != "" {
		opts = append(opts, config.WithCredentialsProvider(
			credentials.NewStaticCredentialsProvider(cfg.AccessKey, cfg.SecretKey, "")))
	}
	awsCfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("tier2/s3: loading AWS config: %w", err)
	}
	if awsCfg.Region == "" {
		awsCfg.Region = DefaultRegion
	}
	client := s3.NewFromConfig(awsCfg, func(o *s3.Options) {
		if cfg.Endpoint != "" {
			o.BaseEndpoint = aws.String(cfg.Endpoint)
		}
		o.UsePathStyle = cfg.PathStyle
		if cfg.WrapHTTPClient != nil {
			o.HTTPClient = cfg.WrapHTTPClient(o.HTTPClient)
		}
	})
	return &Store{client: client, bucket: cfg.Bucket, prefix: prefix}, nil
}

// Client returns the underlying S3 client (for tests and administration).
func (s *Store) Client() *s3.Client { return s.client }

// Bucket returns the store's bucket name.
func (s *Store) Bucket() string { return s.bucket }

func (s *Store) objectKey(key string) string { return s.prefix + key }

// Put stores data as key's object with one PutObject.
func (s *Store) Put(ctx context.Context, key string, data []byte) error {
	if err := tier2.ValidKey(key); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("tier2/s3: put %q: %w", key, err)
	}
	_, err := s.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket:        aws.String(s.bucket),
		Key:           aws.String(s.objectKey(key)),
		Body:          bytes.NewReader(data),
		ContentLength: aws.Int64(int64(len(data))),
	})
	if err != nil {
		return s.wrap(ctx, "put", key, err)
	}
	return nil
}

// GetRange reads part of key's object with a ranged GetObject.
func (s *Store) GetRange(ctx context.Context, key string, off, length int64) ([]byte, error) {
	if err := tier2.ValidKey(key); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("tier2/s3: get %q: %w", key, err)
	}
	if off < 0 {
		off = 0
	}
	if length == 0 {
		// Nothing to read, but a missing object is still ErrNotFound.
		if _, err := s.Stat(ctx, key); err != nil {
			return nil, err
		}
		return []byte{}, nil
	}
	in := &s3.GetObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(s.objectKey(key))}
	ranged := off > 0 || length > 0
	if length > math.MaxInt64-off {
		length = -1 // to the end anyway; avoids overflowing off+length
	}
	switch {
	case length > 0:
		in.Range = aws.String(fmt.Sprintf("bytes=%d-%d", off, off+length-1))
	case off > 0:
		in.Range = aws.String(fmt.Sprintf("bytes=%d-", off))
	}
	out, err := s.client.GetObject(ctx, in)
	if err != nil {
		if ranged && httpStatus(err) == http.StatusRequestedRangeNotSatisfiable {
			// The range starts at or after the end: no bytes, if the
			// object exists at all.
			if _, serr := s.Stat(ctx, key); serr != nil {
				return nil, serr
			}
			return []byte{}, nil
		}
		return nil, s.wrap(ctx, "get", key, err)
	}
	defer out.Body.Close()
	var buf bytes.Buffer
	if n := aws.ToInt64(out.ContentLength); n > 0 && n <= 1<<30 {
		buf.Grow(int(n))
	}
	if _, err := io.Copy(&buf, out.Body); err != nil {
		return nil, s.wrap(ctx, "get", key, err)
	}
	b := buf.Bytes()
	if ranged && out.ContentRange == nil {
		// The server ignored the range and sent the whole object.
		b = tier2.Clip(b, off, length)
	} else if length > 0 && int64(len(b)) > length {
		b = b[:length]
	}
	if b == nil {
		b = []byte{}
	}
	return b, nil
}

// Stat returns key's size with a HeadObject.
func (s *Store) Stat(ctx context.Context, key string) (tier2.ObjectInfo, error) {
	if err := tier2.ValidKey(key); err != nil {
		return tier2.ObjectInfo{}, err
	}
	if err := ctx.Err(); err != nil {
		return tier2.ObjectInfo{}, fmt.Errorf("tier2/s3: stat %q: %w", key, err)
	}
	out, err := s.client.HeadObject(ctx, &s3.HeadObjectInput{
		Bucket: aws.String(s.bucket),
		Key:    aws.String(s.objectKey(key)),
	})
	if err != nil {
		return tier2.ObjectInfo{}, s.wrap(ctx, "stat", key, err)
	}
	return tier2.ObjectInfo{Key: key, Size: aws.ToInt64(out.ContentLength)}, nil
}

// List pages through ListObjectsV2 until it has limit objects.
func (s *Store) List(ctx context.Context, prefix, after string, limit int) ([]tier2.ObjectInfo, error) {
	limit, err := tier2.ListLimit(ctx, prefix, limit)
	if err != nil {
		return nil, fmt.Errorf("tier2/s3: list %q: %w", prefix, err)
	}
	in := &s3.ListObjectsV2Input{
		Bucket: aws.String(s.bucket),
		Prefix: aws.String(s.prefix + prefix),
	}
	if after != "" {
		in.StartAfter = aws.String(s.prefix + after)
	}
	out := []tier2.ObjectInfo{}
	for len(out) < limit {
		in.MaxKeys = aws.Int32(int32(min(limit-len(out), 1000)))
		page, err := s.client.ListObjectsV2(ctx, in)
		if err != nil {
			return nil, s.wrap(ctx, "list", prefix, err)
		}
		for _, o := range page.Contents {
			k, ok := strings.CutPrefix(aws.ToString(o.Key), s.prefix)
			if !ok || k <= after || !strings.HasPrefix(k, prefix) {
				continue // defensive: servers that ignore Prefix/StartAfter
			}
			out = append(out, tier2.ObjectInfo{Key: k, Size: aws.ToInt64(o.Size)})
			if len(out) == limit {
				break
			}
		}
		if !aws.ToBool(page.IsTruncated) || page.NextContinuationToken == nil {
			break
		}
		in.ContinuationToken = page.NextContinuationToken
	}
	return out, nil
}

// Delete removes key's object with a DeleteObject; a missing object is fine.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := tier2.ValidKey(key); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("tier2/s3: delete %q: %w", key, err)
	}
	_, err := s.client.DeleteObject(ctx, &s3.DeleteObjectInput{
		Bucket: aws.String(s.bucket),
		Key:    aws.String(s.objectKey(key)),
	})
	if err != nil && !isNotFound(err) {
		return s.wrap(ctx, "delete", key, err)
	}
	return nil
}

// wrap names the operation and key in err, maps a missing object to
// tier2.ErrNotFound and reports ctx's error when ctx ended.
func (s *Store) wrap(ctx context.Context, op, key string, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return fmt.Errorf("tier2/s3: %s %q: %w", op, key, cerr)
	}
	if isNotFound(err) {
		return fmt.Errorf("tier2/s3: %s %q: %w", op, key, tier2.ErrNotFound)
	}
	return fmt.Errorf("tier2/s3: %s %q in bucket %q: %w", op, key, s.bucket, err)
}

// isNotFound reports whether err says the object does not exist (but not
// that the bucket does not).
func isNotFound(err error) bool {
	var nsk *types.NoSuchKey
	var nf *types.NotFound
	if errors.As(err, &nsk) || errors.As(err, &nf) {
		return true
	}
	var api smithy.APIError
	if errors.As(err, &api) {
		switch api.ErrorCode() {
		case "NoSuchKey", "NotFound":
			return true
		case "NoSuchBucket":
			return false
		}
	}
	return httpStatus(err) == http.StatusNotFound
}

// httpStatus returns the HTTP status of an S3 error response, or 0.
func httpStatus(err error) int {
	var re interface{ HTTPStatusCode() int }
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}
