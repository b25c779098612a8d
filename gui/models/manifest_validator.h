// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <vector>

#include "gui/models/manifest_document.h"

namespace slipway::gui {

/// One problem of a manifest, placed on a line of its text.
struct ManifestDiagnostic {
    enum class Severity { Error, Warning };
    Severity severity = Severity::Error;
    int part = 0;       ///< which document of the file
    int line = 0;       ///< 0-based line of the whole text
    std::string field;  ///< "spec.selector", empty for syntax errors and whole documents
    /// What kube-apiserver or kubectl would say: "Required value", "unknown field
    /// \"spec.foo\"", a YAML parser's message.
    std::string message;

    /// "spec.selector: Required value", or the message alone without a field.
    std::string text() const { return field.empty() ? message : field + ": " + message; }
};

/// Checks every document of `document` as slipwayd checks a create, with slipwayd's own code
/// (engine/api, linked as a library; no second validator): YAML syntax; apiVersion and kind
/// known to the built-in KindRegistry; the body decoded against the built-in OpenAPI schema
/// (unknown fields as kubectl's default `--validate=strict` refuses them, values of the wrong
/// type); then the kind's defaulter, ObjectMeta validation and the kind's validator, after the
/// steps the REST layer takes first (namespace "default" when unset, a placeholder uid, a name
/// from generateName). Kinds the built-in registry does not know (custom resources) get a
/// warning only: the cluster may serve them.
///
/// Costs a few milliseconds per document after a one-off ~40 ms for the schemas: callers run
/// it off the GUI thread. Thread-safe.
std::vector<ManifestDiagnostic> validateManifest(const ManifestDocument& document);

}  // namespace slipway::gui
