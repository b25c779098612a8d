// SPDX-License-Identifier: Apache-2.0
#include "gui/models/manifest_validator.h"

#include <exception>
#include <memory>

#include <QCoreApplication>

#include "engine/api/field_validation.h"
#include "engine/api/kind_registry.h"
#include "engine/api/protobuf/builtin_schemas.h"
#include "engine/api/validation.h"

namespace slipway::gui {

using nlohmann::json;

namespace {

const api::KindRegistry& registry() {
    static const std::unique_ptr<api::KindRegistry> kinds = api::KindRegistry::withBuiltinKinds();
    return *kinds;
}

/// Our own messages in the user's language (the schema's and kubectl's words stay English, as
/// the server sends them). QCoreApplication::translate may be called from the pool thread.
constexpr const char* kContext = "slipway::gui::ManifestValidator";

std::string text(const char* source) {
    return QCoreApplication::translate(kContext, source).toStdString();
}

std::string text(const char* source, const std::string& a) {
    return QCoreApplication::translate(kContext, source)
        .arg(QString::fromStdString(a))
        .toStdString();
}

std::string text(const char* source, const std::string& a, const std::string& b) {
    return QCoreApplication::translate(kContext, source)
        .arg(QString::fromStdString(a), QString::fromStdString(b))
        .toStdString();
}

std::string stringAt(const json& object, const char* key) {
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

void validatePart(const ManifestDocument& document, int index,
                  std::vector<ManifestDiagnostic>& out) {
    const ManifestPart& part = document.parts()[static_cast<std::size_t>(index)];
    auto report = [&](ManifestDiagnostic::Severity severity, const std::string& field,
                      std::string message, int line = -1) {
        ManifestDiagnostic diagnostic;
        diagnostic.severity = severity;
        diagnostic.part = index;
        diagnostic.line = line >= 0 ? line : document.lineOfField(index, field);
        diagnostic.field = field;
        diagnostic.message = std::move(message);
        out.push_back(std::move(diagnostic));
    };
    if (part.error) {
        report(ManifestDiagnostic::Severity::Error, {}, part.error->message, part.error->line);
        return;
    }
    if (part.object.is_null()) {
        return;  // an empty document (comments only), as kubectl skips them
    }
    if (!part.object.is_object()) {
        report(ManifestDiagnostic::Severity::Error, {},
               text(QT_TRANSLATE_NOOP(
                   "slipway::gui::ManifestValidator",
                   "a manifest document must be a mapping with apiVersion, kind and metadata")));
        return;
    }
    const std::string apiVersion = stringAt(part.object, "apiVersion");
    const std::string kind = stringAt(part.object, "kind");
    if (apiVersion.empty() || kind.empty()) {
        // kubectl's words: "error validating data: [apiVersion not set, kind not set]".
        if (apiVersion.empty()) {
            report(ManifestDiagnostic::Severity::Error, "apiVersion", "apiVersion not set");
        }
        if (kind.empty()) {
            report(ManifestDiagnostic::Severity::Error, "kind", "kind not set");
        }
        return;
    }
    const auto slash = apiVersion.find('/');
    const std::string group =
        slash == std::string::npos ? std::string() : apiVersion.substr(0, slash);
    const std::string version =
        slash == std::string::npos ? apiVersion : apiVersion.substr(slash + 1);
    const auto type = registry().findKind(group, version, kind);
    if (!type) {
        report(ManifestDiagnostic::Severity::Warning, "kind",
               text(QT_TRANSLATE_NOOP("slipway::gui::ManifestValidator",
                                      "no built-in kind \"%1\" in \"%2\": only the cluster can "
                                      "check it (a custom resource?)"),
                    kind, apiVersion));
        return;
    }

    json object = part.object;
    // The body against the kind's OpenAPI schema, as the server decodes it.
    if (auto schemas = api::BuiltinSchemas::instance(); schemas.ok()) {
        const json* schema = (*schemas)->kindSchema(group, version, kind);
        if (schema != nullptr) {
            const api::UnknownFieldPruner pruner((*schemas)->components());
            const auto decoded =
                pruner.decode(object, *schema, (*schemas)->kindSchemaName(group, version, kind),
                              api::DecodeSource::Json);
            for (const auto& field : decoded.unknown) {
                report(ManifestDiagnostic::Severity::Error, field,
                       "unknown field \"" + field + "\"");
            }
            for (const auto& mismatch : decoded.mismatches) {
                report(ManifestDiagnostic::Severity::Error, mismatch.path, mismatch.message);
            }
            if (!decoded.mismatches.empty()) {
                return;  // the server stops at the decoder
            }
        }
    }

    // What the REST layer does before defaulting and validation on create.
    json& metadata = object["metadata"];
    if (!metadata.is_object()) {
        metadata = json::object();
    }
    if (type->namespaced && stringAt(metadata, "namespace").empty()) {
        metadata["namespace"] = "default";
    }
    if (stringAt(metadata, "name").empty() && !stringAt(metadata, "generateName").empty()) {
        metadata["name"] = stringAt(metadata, "generateName") + "x7k2p";
    }
    metadata["uid"] = "00000000-0000-4000-8000-000000000000";
    if (type->defaulter) {
        type->defaulter(object);
    }
    api::FieldCauses causes = api::validateObjectMeta(object, *type);
    if (type->validator) {
        auto more = type->validator(object, nullptr);
        causes.insert(causes.end(), more.begin(), more.end());
    }
    for (const auto& cause : causes) {
        report(ManifestDiagnostic::Severity::Error, cause.field, cause.message);
    }
}

}  // namespace

std::vector<ManifestDiagnostic> validateManifest(const ManifestDocument& document) {
    std::vector<ManifestDiagnostic> diagnostics;
    for (int i = 0; i < static_cast<int>(document.parts().size()); ++i) {
        try {
            validatePart(document, i, diagnostics);
        } catch (const std::exception& e) {
            // Runs on a pool thread, where an escaping exception would end the program.
            ManifestDiagnostic diagnostic;
            diagnostic.part = i;
            diagnostic.line = document.parts()[static_cast<std::size_t>(i)].firstLine;
            diagnostic.message = text(QT_TRANSLATE_NOOP("slipway::gui::ManifestValidator",
                                                        "cannot check this document: %1"),
                                      e.what());
            diagnostics.push_back(std::move(diagnostic));
        }
    }
    return diagnostics;
}

}  // namespace slipway::gui
