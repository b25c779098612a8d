// SPDX-License-Identifier: Apache-2.0
#include "gui/services/apply_service.h"

#include <algorithm>
#include <cctype>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <utility>

#include <QCoreApplication>
#include <QMetaObject>
#include <QThreadPool>

#include "engine/api/kind_registry.h"
#include "engine/api/patch_metadata.h"
#include "engine/client/https_client.h"
#include "engine/client/resource_ref.h"
#include "engine/client/rest_client.h"
#include "engine/pki/kubeconfig.h"
#include "gui/models/manifest_diff.h"
#include "gui/models/object_details.h"

namespace slipway::gui {

using nlohmann::json;

namespace {

std::string stringAt(const json& object, const json::json_pointer& pointer) {
    return object.contains(pointer) && object.at(pointer).is_string()
               ? object.at(pointer).get<std::string>()
               : std::string();
}

/// The resource of a kind in a group-version, from that group-version's discovery document
/// (which every Kubernetes API server serves), so that any version the manifest names works.
struct Resource {
    std::string resource;
    bool namespaced = true;
};

class ResourceMapper {
public:
    explicit ResourceMapper(const client::Client& api) : m_api(api) {}

    core::Result<Resource> find(const std::string& apiVersion, const std::string& kind) {
        auto& resources = m_cache[apiVersion];
        if (resources.empty()) {
            const std::string path = apiVersion.find('/') == std::string::npos
                                         ? "/api/" + apiVersion
                                         : "/apis/" + apiVersion;
            auto response = m_api.send(client::Request("GET", path));
            if (!response.ok()) {
                return response.error();
            }
            if (auto failure = client::Client::failureOf(response.value())) {
                return core::Error(failure->code(), "the server does not serve " + apiVersion +
                                                        ": " + failure->message());
            }
            const json document = json::parse(response.value().body, nullptr, false);
            for (const json& entry : document.value("resources", json::array())) {
                const std::string name = entry.value("name", std::string());
                if (name.find('/') == std::string::npos) {
                    resources[entry.value("kind", std::string())] =
                        Resource{name, entry.value("namespaced", true)};
                }
            }
        }
        auto it = resources.find(kind);
        if (it == resources.end()) {
            return core::Error(
                core::ErrorCode::NotFound,
                "no matches for kind \"" + kind + "\" in version \"" + apiVersion + "\"");
        }
        return it->second;
    }

private:
    const client::Client& m_api;
    std::map<std::string, std::map<std::string, Resource>> m_cache;
};

/// "deployment.apps/web", as kubectl prints an object.
std::string objectName(const json& object) {
    const std::string apiVersion = object.value("apiVersion", std::string());
    const auto slash = apiVersion.find('/');
    std::string kind = object.value("kind", std::string());
    for (char& c : kind) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (slash != std::string::npos) {
        kind += "." + apiVersion.substr(0, slash);
    }
    return kind + "/" + stringAt(object, "/metadata/name"_json_pointer);
}

/// What a diff shows of an object: no managedFields, no last-applied annotation (one long line
/// of JSON that always changes with the manifest).
json forDiff(json object) {
    if (!object.is_object()) {
        return object;
    }
    if (auto metadata = object.find("metadata");
        metadata != object.end() && metadata->is_object()) {
        metadata->erase("managedFields");
        if (auto annotations = metadata->find("annotations");
            annotations != metadata->end() && annotations->is_object()) {
            annotations->erase(kLastAppliedAnnotation);
            if (annotations->empty()) {
                metadata->erase("annotations");
            }
        }
    }
    return object;
}

std::shared_ptr<const api::PatchMetadata> patchMetadataOf(const std::string& apiVersion,
                                                          const std::string& kind);

struct Step {
    ApplyOutcome outcome;
    std::string diff;
};

/// One object through the apply algorithm; `dryRun` for dry runs and diffs.
Step applyOne(const client::Client& api, ResourceMapper& mapper, json object, bool dryRun,
              bool wantDiff) {
    Step step;
    step.outcome.object = QString::fromStdString(objectName(object));
    auto resource =
        mapper.find(object.value("apiVersion", std::string()), object.value("kind", std::string()));
    if (!resource.ok()) {
        step.outcome.error = QString::fromStdString(resource.error().message());
        return step;
    }
    const std::string name = stringAt(object, "/metadata/name"_json_pointer);
    std::string nameSpace = stringAt(object, "/metadata/namespace"_json_pointer);
    if (resource->namespaced && nameSpace.empty()) {
        nameSpace = "default";
    }
    if (!resource->namespaced) {
        nameSpace.clear();
    }
    const std::string apiVersion = object.value("apiVersion", std::string());
    const auto slash = apiVersion.find('/');
    const client::ResourceRef collection(
        slash == std::string::npos ? std::string() : apiVersion.substr(0, slash),
        slash == std::string::npos ? apiVersion : apiVersion.substr(slash + 1), resource->resource,
        nameSpace);

    // The manifest as applied: itself, remembered in the annotation (without the annotation).
    json manifest = object;
    if (manifest.contains("/metadata/annotations"_json_pointer) &&
        manifest.at("/metadata/annotations"_json_pointer).is_object()) {
        manifest["metadata"]["annotations"].erase(kLastAppliedAnnotation);
        if (manifest["metadata"]["annotations"].empty()) {
            manifest["metadata"].erase("annotations");
        }
    }
    json modified = manifest;
    modified["metadata"]["annotations"][kLastAppliedAnnotation] = manifest.dump();

    client::WriteOptions options;
    options.dryRun = dryRun;
    options.fieldManager = "slipway-studio";
    options.fieldValidation = "Strict";
    // kubectl's words, translated where Studio is.
    const QString suffix =
        dryRun ? QCoreApplication::translate("slipway::gui::ApplyService", " (server dry run)")
               : QString();

    json live;
    json result;
    if (name.empty()) {
        step.outcome.error =
            QCoreApplication::translate("slipway::gui::ApplyService", "metadata.name is required");
        return step;
    }
    auto current = api.get(collection.named(name));
    if (!current.ok() && current.error().code() != core::ErrorCode::NotFound) {
        step.outcome.error = QString::fromStdString(current.error().message());
        return step;
    }
    if (!current.ok()) {
        auto created = api.create(collection, modified, options);
        if (!created.ok()) {
            step.outcome.error = QString::fromStdString(created.error().message());
            return step;
        }
        step.outcome.action =
            QCoreApplication::translate("slipway::gui::ApplyService", "created") + suffix;
        result = std::move(created).value();
    } else {
        live = std::move(current).value();
        json original = json::object();
        const std::string lastApplied = stringAt(
            live, json::json_pointer("/metadata/annotations/kubectl.kubernetes.io~1last-applied-"
                                     "configuration"));
        if (!lastApplied.empty()) {
            original = json::parse(lastApplied, nullptr, false);
            if (original.is_discarded()) {
                original = json::object();
            }
        }
        // Built-in kinds get a strategic merge patch, as from kubectl; others a merge patch.
        const bool strategic =
            patchMetadataOf(apiVersion, object.value("kind", std::string())) != nullptr;
        const json patch = strategic ? threeWayStrategicMergePatch(original, modified, live)
                                     : threeWayMergePatch(original, modified, live);
        if (patch.empty()) {
            step.outcome.action =
                QCoreApplication::translate("slipway::gui::ApplyService", "unchanged") + suffix;
            result = live;
        } else {
            auto patched =
                api.patch(collection.named(name),
                          strategic ? client::PatchType::StrategicMerge : client::PatchType::Merge,
                          patch, options);
            if (!patched.ok()) {
                step.outcome.error = QString::fromStdString(patched.error().message());
                return step;
            }
            step.outcome.action =
                QCoreApplication::translate("slipway::gui::ApplyService", "configured") + suffix;
            result = std::move(patched).value();
        }
    }
    if (wantDiff) {
        const std::string label = objectName(object);
        const std::string before =
            live.is_null() ? std::string() : objectYaml(forDiff(live)).toStdString();
        const std::string after = objectYaml(forDiff(result)).toStdString();
        step.diff = unifiedDiff(before, after, "live/" + label, "manifest/" + label);
    }
    return step;
}

core::Result<client::ClientConfig> configOf(const ConnectionTarget& target) {
    auto kubeconfig = pki::Kubeconfig::load(target.kubeconfigPath.toStdString());
    if (!kubeconfig.ok()) {
        return kubeconfig.error();
    }
    return client::ClientConfig::fromKubeconfig(kubeconfig.value(), target.context.toStdString());
}

/// Whether `current` holds everything `modified` says: the same scalars, every key of a
/// modified map, lists of the same length whose elements hold their counterparts. The fields
/// the server defaults inside list elements (a container's terminationMessagePath) do not make
/// a list differ from the manifest that left them out.
bool holds(const json& current, const json& modified) {
    if (modified.is_object()) {
        if (!current.is_object()) {
            return false;
        }
        for (const auto& [key, value] : modified.items()) {
            const auto it = current.find(key);
            if (it == current.end() || !holds(*it, value)) {
                return false;
            }
        }
        return true;
    }
    if (modified.is_array()) {
        if (!current.is_array() || current.size() != modified.size()) {
            return false;
        }
        for (std::size_t i = 0; i < modified.size(); ++i) {
            if (!holds(current[i], modified[i])) {
                return false;
            }
        }
        return true;
    }
    return current == modified;
}

/// The element of `list` whose `key` field is `value`, or null.
const json* elementWithKey(const json& list, const std::string& key, const json& value) {
    if (!list.is_array()) {
        return nullptr;
    }
    for (const json& element : list) {
        if (element.is_object() && element.contains(key) && element.at(key) == value) {
            return &element;
        }
    }
    return nullptr;
}

bool keyedElements(const json& list, const std::string& key) {
    return std::all_of(list.begin(), list.end(),
                       [&](const json& e) { return e.is_object() && e.contains(key); });
}

json strategicPatch(const json& original, const json& modified, const json& current,
                    const api::PatchMetadata* meta) {
    json patch = json::object();
    if (!modified.is_object()) {
        return patch;
    }
    for (const auto& [key, value] : modified.items()) {
        const api::PatchField* field = meta != nullptr ? meta->find(key) : nullptr;
        const api::PatchMetadata* below = field != nullptr ? field->schema.get() : nullptr;
        const bool present = current.is_object() && current.contains(key);
        if (!present) {
            patch[key] = value;
            continue;
        }
        const json& live = current.at(key);
        const json before =
            original.is_object() && original.contains(key) ? original.at(key) : json();
        if (live == value) {
            continue;
        }
        if (value.is_object() && live.is_object() && (field == nullptr || !field->replace)) {
            json nested =
                strategicPatch(before.is_object() ? before : json::object(), value, live, below);
            if (!nested.empty()) {
                if (field != nullptr && field->retainKeys) {
                    // Fields the manifest's map no longer names go (a Deployment switching to
                    // Recreate loses rollingUpdate), as kubectl asks with $retainKeys.
                    json keys = json::array();
                    for (const auto& [name, unused] : value.items()) {
                        keys.push_back(name);
                    }
                    nested["$retainKeys"] = std::move(keys);
                }
                patch[key] = std::move(nested);
            }
            continue;
        }
        if (value.is_array() && live.is_array() && field != nullptr && field->merge &&
            !field->mergeKey.empty() && keyedElements(value, field->mergeKey) &&
            keyedElements(live, field->mergeKey)) {
            // A list merged on its key (containers by name, ports by port): a patch element per
            // changed or new element, a delete per element the last manifest had, the order.
            const std::string& mergeKey = field->mergeKey;
            json elements = json::array();
            json order = json::array();
            for (const json& element : value) {
                const json& id = element.at(mergeKey);
                order.push_back(json{{mergeKey, id}});
                const json* liveElement = elementWithKey(live, mergeKey, id);
                if (liveElement == nullptr) {
                    elements.push_back(element);
                    continue;
                }
                const json* beforeElement = elementWithKey(before, mergeKey, id);
                json nested =
                    strategicPatch(beforeElement != nullptr ? *beforeElement : json::object(),
                                   element, *liveElement, below);
                if (!nested.empty()) {
                    nested[mergeKey] = id;
                    elements.push_back(std::move(nested));
                }
            }
            if (before.is_array()) {
                for (const json& element : before) {
                    if (element.is_object() && element.contains(mergeKey) &&
                        elementWithKey(value, mergeKey, element.at(mergeKey)) == nullptr &&
                        elementWithKey(live, mergeKey, element.at(mergeKey)) != nullptr) {
                        elements.push_back(
                            json{{mergeKey, element.at(mergeKey)}, {"$patch", "delete"}});
                    }
                }
            }
            if (!elements.empty()) {
                patch[key] = std::move(elements);
                patch["$setElementOrder/" + key] = std::move(order);
            }
            continue;
        }
        if (value.is_array() && live.is_array() && field != nullptr && field->merge &&
            field->mergeKey.empty()) {
            // A set of scalars (finalizers): add what is new, remove what the manifest dropped.
            json added = json::array();
            for (const json& item : value) {
                if (std::find(live.begin(), live.end(), item) == live.end()) {
                    added.push_back(item);
                }
            }
            json dropped = json::array();
            if (before.is_array()) {
                for (const json& item : before) {
                    if (std::find(value.begin(), value.end(), item) == value.end() &&
                        std::find(live.begin(), live.end(), item) != live.end()) {
                        dropped.push_back(item);
                    }
                }
            }
            if (!added.empty()) {
                patch[key] = std::move(added);
            }
            if (!dropped.empty()) {
                patch["$deleteFromPrimitiveList/" + key] = std::move(dropped);
            }
            continue;
        }
        if (value.is_array() && holds(live, value)) {
            continue;
        }
        patch[key] = value;
    }
    if (original.is_object()) {
        for (const auto& [key, value] : original.items()) {
            if (!modified.contains(key) && current.is_object() && current.contains(key)) {
                patch[key] = nullptr;
            }
        }
    }
    return patch;
}

/// The strategic-merge-patch metadata of a built-in kind; null for other kinds (custom
/// resources take merge patches only).
std::shared_ptr<const api::PatchMetadata> patchMetadataOf(const std::string& apiVersion,
                                                          const std::string& kind) {
    static const std::unique_ptr<api::KindRegistry> builtins =
        api::KindRegistry::withBuiltinKinds();
    const auto slash = apiVersion.find('/');
    const auto type = builtins->findKind(
        slash == std::string::npos ? std::string() : apiVersion.substr(0, slash),
        slash == std::string::npos ? apiVersion : apiVersion.substr(slash + 1), kind);
    return type ? type->patchMetadata : nullptr;
}

}  // namespace

json threeWayStrategicMergePatch(const json& original, const json& modified, const json& current) {
    const auto meta = patchMetadataOf(modified.value("apiVersion", std::string()),
                                      modified.value("kind", std::string()));
    return strategicPatch(original, modified, current, meta.get());
}

json threeWayMergePatch(const json& original, const json& modified, const json& current) {
    json patch = json::object();
    if (!modified.is_object()) {
        return patch;
    }
    for (const auto& [key, value] : modified.items()) {
        const auto live = current.is_object() ? current.find(key) : current.end();
        const bool present = current.is_object() && live != current.end();
        if (present && (*live == value || (value.is_array() && holds(*live, value)))) {
            continue;
        }
        if (present && live->is_object() && value.is_object()) {
            const json before =
                original.is_object() && original.contains(key) ? original.at(key) : json::object();
            json nested = threeWayMergePatch(before, value, *live);
            if (!nested.empty()) {
                patch[key] = std::move(nested);
            }
        } else {
            patch[key] = value;
        }
    }
    if (original.is_object()) {
        for (const auto& [key, value] : original.items()) {
            if (!modified.contains(key) && current.is_object() && current.contains(key)) {
                patch[key] = nullptr;
            }
        }
    }
    return patch;
}

struct ApplyService::Shared {
    std::mutex mutex;
    ApplyService* receiver = nullptr;  // guarded by mutex

    template <typename Function>
    void post(Function function) {
        const std::lock_guard lock(mutex);
        if (receiver == nullptr) {
            return;
        }
        ApplyService* target = receiver;
        QMetaObject::invokeMethod(
            target, [target, function = std::move(function)]() mutable { function(*target); },
            Qt::QueuedConnection);
    }
};

ApplyService::ApplyService(QObject* parent)
    : QObject(parent), m_shared(std::make_shared<Shared>()) {
    qRegisterMetaType<slipway::gui::ApplyOutcome>();
    qRegisterMetaType<QList<slipway::gui::ApplyOutcome>>();
    m_shared->receiver = this;
}

ApplyService::~ApplyService() {
    const std::lock_guard lock(m_shared->mutex);
    m_shared->receiver = nullptr;
}

void ApplyService::dryRun(const std::vector<json>& objects) {
    run(Operation::DryRun, objects);
}

void ApplyService::diff(const std::vector<json>& objects) {
    run(Operation::Diff, objects);
}

void ApplyService::apply(const std::vector<json>& objects) {
    run(Operation::Apply, objects);
}

void ApplyService::run(Operation operation, std::vector<json> objects) {
    if (++m_running == 1) {
        emit busyChanged(true);
    }
    auto done = [](ApplyService& service) {
        if (--service.m_running == 0) {
            emit service.busyChanged(false);
        }
    };
    QThreadPool::globalInstance()->start(
        [shared = m_shared, target = m_target, operation, done, objects = std::move(objects)] {
            QString failure;
            QList<ApplyOutcome> outcomes;
            std::string diffText;
            try {
                auto config = configOf(target);
                if (!config.ok()) {
                    failure = QString::fromStdString(config.error().message());
                } else {
                    client::HttpsClientOptions options;
                    options.userAgent = "slipway-studio";
                    const client::HttpsClient api(std::move(config).value(), options);
                    ResourceMapper mapper(api);
                    for (const json& object : objects) {
                        Step step = applyOne(api, mapper, object, operation != Operation::Apply,
                                             operation == Operation::Diff);
                        outcomes.push_back(std::move(step.outcome));
                        diffText += step.diff;
                    }
                }
            } catch (const std::exception& e) {
                failure = QString::fromUtf8(e.what());
            }
            shared->post([operation, done, failure, outcomes,
                          diff = QString::fromStdString(diffText)](ApplyService& service) {
                done(service);
                if (!failure.isEmpty()) {
                    emit service.failed(operation, failure);
                } else {
                    emit service.finished(operation, outcomes, diff);
                }
            });
        });
}

}  // namespace slipway::gui
