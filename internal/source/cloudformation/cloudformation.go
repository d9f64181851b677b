// Package cloudformation evaluates a CloudFormation template the way
// CloudFormation would deploy it and fills the model with the result.
package cloudformation

import (
	"errors"

	"github.com/vpcreach/vpcreach/internal/model"
)

// Options are the values a template takes from outside.
type Options struct {
	// Params are parameter values (--param, --params), by name.
	Params map[string]string
	// Region and Account are the pseudo parameters when given.
	Region  string
	Account string
}

// Read evaluates the template at path and adds its resources to n.
func Read(path string, opts Options, n *model.Network) error {
	return errors.New("CloudFormation templates are not read yet")
}
