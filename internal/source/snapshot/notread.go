package snapshot

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/vpcreach/vpcreach/internal/diag"
	"github.com/vpcreach/vpcreach/internal/model"
)

// Kinds of files that are not AWS API output, told by classify.
const (
	kindTemplate  = "a CloudFormation template"
	kindTerraform = "a Terraform plan or state (terraform show -json output)"
)

// skippedFile is a file of another format found where AWS API output was
// expected.
type skippedFile struct {
	path, kind string
}

// classify tells, from the keys of a JSON file's top-level object, a
// CloudFormation template or Terraform JSON from AWS API output: "" for
// AWS API output (or anything else), else the kind. terraform show -json
// writes format_version and terraform_version beside planned_values,
// resource_changes, configuration (a plan) or values (state).
func classify(keys []string) string {
	has := func(k string) bool { return slices.Contains(keys, k) }
	switch {
	case has("AWSTemplateFormatVersion"), has("Resources") && !has("Vpcs"):
		return kindTemplate
	case has("terraform_version"),
		has("format_version") && (has("planned_values") || has("resource_changes") || has("configuration") || has("values") || has("prior_state")):
		return kindTerraform
	}
	return ""
}

// skip records a file of another format; when the rest of the snapshot
// holds AWS API output it is a warning, else nothingRead's error.
func (r *reader) skip(path, kind string) {
	r.notRead = append(r.notRead, skippedFile{path, kind})
}

// isTemplateName tells a CloudFormation template by its file name, the
// way a SOURCE is told one (internal/source.Detect).
func isTemplateName(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml", ".template":
		return true
	}
	return false
}

// warnNotRead turns the files skipped as another format into warnings,
// once something else was read.
func (r *reader) warnNotRead() {
	for _, s := range r.notRead {
		hint := "name it as a SOURCE to read it"
		r.n.Warnf("not-read", model.Origin{File: s.path, Line: 1}, "", "%s, not AWS API output: %s", s.kind, hint)
	}
	r.notRead = nil
}

// nothingRead is the error of a SOURCE that held no AWS API output: what
// it holds instead, in one line. others are the files that are not JSON;
// files are the JSON files read.
func (r *reader) nothingRead(source string, isDir bool, files, others []string) error {
	var templates, terraform []string
	for _, s := range r.notRead {
		switch s.kind {
		case kindTemplate:
			templates = append(templates, s.path)
		case kindTerraform:
			terraform = append(terraform, s.path)
		}
	}
	for _, o := range others {
		if isTemplateName(o) {
			templates = append(templates, o)
		}
	}
	slices.Sort(templates)
	what := "the file"
	if isDir {
		what = "the folder"
	}
	e := &diag.Error{File: source, Code: "no-aws-output"}
	switch {
	case len(terraform) > 0 && !isDir:
		e.Code = "terraform-as-snapshot"
		e.Message = kindTerraform + " read as AWS API output: name it as a SOURCE"
	case len(terraform) > 0 && len(templates) > 0:
		e.Code = "terraform-folder"
		e.Message = fmt.Sprintf("no AWS API output: the folder holds Terraform JSON (%s) to name as SOURCEs, and CloudFormation templates to name as SOURCEs, each its own stack (%s)",
			listFiles(source, terraform), listFilesUpTo(source, templates, 20))
	case len(terraform) > 0:
		e.Code = "terraform-folder"
		e.Message = fmt.Sprintf("a folder of Terraform JSON, not a snapshot: name the files as SOURCEs: %s", listFiles(source, terraform))
	case len(templates) > 0 && !isDir:
		e.Message = "a CloudFormation template read as AWS API output"
	case len(templates) > 0:
		e.Code = "templates-folder"
		e.Message = fmt.Sprintf("a folder of CloudFormation templates, not a snapshot: name the templates as SOURCEs (each is its own stack): %s", listFilesUpTo(source, templates, 20))
	case len(files) > 0:
		e.Message = fmt.Sprintf("JSON without AWS API output: %s names no resource list or output vpcreach reads (Vpcs, Subnets, SecurityGroups, ...)", listFiles(source, files))
	case len(others) > 0:
		e.Message = fmt.Sprintf("no AWS API output: %s holds no .json file, only %s", what, listFiles(source, others))
	default:
		e.Code = "empty-folder"
		e.Message = "empty folder: no AWS API output (.json files) in it"
	}
	return e
}

// listFiles names up to five files relative to the source folder.
func listFiles(source string, files []string) string { return listFilesUpTo(source, files, 5) }

// listFilesUpTo names up to most files relative to the source folder.
func listFilesUpTo(source string, files []string, most int) string {
	names := make([]string, 0, min(len(files), most))
	for _, f := range files[:min(len(files), most)] {
		if rel, err := filepath.Rel(source, f); err == nil && !strings.HasPrefix(rel, "..") && rel != "." {
			f = rel
		}
		names = append(names, f)
	}
	s := strings.Join(names, ", ")
	if len(files) > most {
		s += fmt.Sprintf(" and %d more", len(files)-most)
	}
	return s
}
