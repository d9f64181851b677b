package collect

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
)

// CredentialsError is a collect that cannot start for want of credentials,
// said in one line with what to set, instead of the SDK's chain of every
// provider it tried.
type CredentialsError struct {
	// Profile is the profile asked for (--profile or AWS_PROFILE), if any.
	Profile string
	// NoProfile is set when that profile is in neither shared file.
	NoProfile bool
	// Err is the SDK's error, for errors.Is and errors.As.
	Err error
}

func (e *CredentialsError) Error() string {
	switch {
	case e.NoProfile:
		return fmt.Sprintf("profile %q is not in ~/.aws/config or ~/.aws/credentials (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE): check the name, or create it with aws configure --profile %s", e.Profile, e.Profile)
	case e.Profile != "":
		return fmt.Sprintf("profile %q gives no usable credentials: check its keys or role, or for an SSO profile run aws sso login --profile %s", e.Profile, e.Profile)
	}
	return "no AWS credentials found: set AWS_PROFILE or pass --profile, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (an SSO profile or an instance role works too)"
}

// Unwrap returns the SDK's error.
func (e *CredentialsError) Unwrap() error { return e.Err }

// profileAsked is the profile the standard chain reads: --profile, else
// AWS_PROFILE.
func profileAsked(o Options) string {
	if o.Profile != "" {
		return o.Profile
	}
	return os.Getenv("AWS_PROFILE")
}

// configError turns a configuration that cannot load because its profile
// is missing into a CredentialsError; other errors stay as they are.
func configError(o Options, err error) error {
	var missing config.SharedConfigProfileNotExistError
	if errors.As(err, &missing) {
		p := missing.Profile
		if p == "" {
			p = profileAsked(o)
		}
		return &CredentialsError{Profile: p, NoProfile: true, Err: err}
	}
	return fmt.Errorf("loading AWS configuration: %w", err)
}

// checkCredentials retrieves the base credentials once, before anything is
// written, so that a run without them ends with one line saying what to
// set. The credentials cache keeps them for the calls that follow.
func checkCredentials(ctx context.Context, o Options, cfg aws.Config) error {
	if cfg.Credentials == nil {
		return &CredentialsError{Profile: profileAsked(o)}
	}
	if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return &CredentialsError{Profile: profileAsked(o), Err: err}
	}
	return nil
}
