// SPDX-License-Identifier: Apache-2.0
#include "engine/apiextensions/crd_controller.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "engine/api/kind_registry.h"
#include "engine/apiextensions/crd_validation.h"
#include "engine/apiextensions/custom_resource_type.h"

namespace slipway::apiextensions {

using nlohmann::json;

namespace {

/// A CRD's cleanup (instances still held by their finalizers) retries with the work queue's
/// backoff, 5 ms doubling up to 1000 s: 5 ms × (2^18 − 1) ≈ 1311 s for the first 18 retries,
/// then 1000 s each, so 20 retries span about 55 minutes before the key waits for the next
/// event (or the informer's next change of the CRD).
constexpr int kMaxRetries = 20;

client::ResourceRef crds() {
    return {"apiextensions.k8s.io", "v1", "customresourcedefinitions"};
}

std::string stringAt(const json& object, const json::json_pointer& pointer) {
    const json value = object.value(pointer, json());
    return value.is_string() ? value.get<std::string>() : std::string();
}

bool hasFinalizer(const json& crd) {
    const json finalizers = crd.value("/metadata/finalizers"_json_pointer, json::array());
    return std::find(finalizers.begin(), finalizers.end(), json(kCustomResourceCleanupFinalizer)) !=
           finalizers.end();
}

// The naming controller's rule: a requested name is fine if it is already this CRD's accepted
// name, or if nobody else uses it.
bool availableOrOwn(const std::string& requested, const std::string& accepted,
                    const std::vector<std::string>& used) {
    return requested == accepted || std::find(used.begin(), used.end(), requested) == used.end();
}

std::string inUse(const std::string& name) {
    return "\"" + name + "\" is already in use";
}

}  // namespace

CrdController::CrdController(const client::Client& client, api::KindRegistry& registry, Clock clock)
    : m_client(client),
      m_registry(registry),
      m_clock(std::move(clock)),
      m_builtin(registry.all()),
      m_informer(client, client::InformerOptions(crds())),
      m_queue(client::WorkQueueOptions{"customresourcedefinition", 100'000, {}}) {
    if (!m_clock) {
        m_clock = [] { return std::chrono::system_clock::now(); };
    }
    const auto enqueue = [this](const client::ObjectPtr& object) {
        m_queue.add(stringAt(*object, "/metadata/name"_json_pointer));
    };
    m_informer.addEventHandler(
        {enqueue,
         [enqueue](const client::ObjectPtr&, const client::ObjectPtr& object) { enqueue(object); },
         enqueue});
}

CrdController::~CrdController() {
    stop();
}

core::Result<void> CrdController::start(std::chrono::milliseconds timeout) {
    m_started = true;
    m_informer.start();
    if (!m_informer.waitForSync(timeout)) {
        return core::Error(core::ErrorCode::Timeout,
                           "listing CustomResourceDefinitions took longer than " +
                               std::to_string(timeout.count()) + " ms");
    }
    // Serve what is stored before the server reports ready; the worker syncs again later.
    for (const auto& crd : m_informer.lister().list()) {
        const std::string name = stringAt(*crd, "/metadata/name"_json_pointer);
        if (auto synced = sync(name); !synced) {
            spdlog::warn("CustomResourceDefinition {}: {}", name, synced.error().message());
        }
    }
    m_worker = std::thread([this] {
        m_queue.processUntilShutDown([this](const std::string& key) { return sync(key); },
                                     kMaxRetries);
    });
    return core::success();
}

void CrdController::stop() {
    if (!m_started) {
        return;
    }
    m_started = false;
    m_queue.shutDown();
    if (m_worker.joinable()) {
        m_worker.join();
    }
    m_informer.stop();
}

std::vector<std::string> CrdController::acceptedNamesInUse(const std::string& group,
                                                           const std::string& self,
                                                           bool kinds) const {
    std::vector<std::string> used;
    for (const auto& type : m_builtin) {
        if (type->group != group) {
            continue;
        }
        if (kinds) {
            used.push_back(type->kind);
            used.push_back(type->listKind());
        } else {
            used.push_back(type->plural);
            used.push_back(type->singular);
            used.insert(used.end(), type->shortNames.begin(), type->shortNames.end());
        }
    }
    for (const auto& other : m_informer.lister().list()) {
        if (stringAt(*other, "/metadata/name"_json_pointer) == self ||
            stringAt(*other, "/spec/group"_json_pointer) != group) {
            continue;
        }
        const json accepted = other->value("/status/acceptedNames"_json_pointer, json::object());
        const std::vector<const char*> fields =
            kinds ? std::vector<const char*>{"kind", "listKind"}
                  : std::vector<const char*>{"plural", "singular"};
        for (const char* field : fields) {
            if (const std::string name = accepted.value(field, std::string()); !name.empty()) {
                used.push_back(name);
            }
        }
        if (!kinds) {
            for (const auto& shortName : accepted.value("shortNames", json::array())) {
                used.push_back(shortName.get<std::string>());
            }
        }
    }
    return used;
}

core::Result<void> CrdController::sync(const std::string& name) {
    const auto cached = m_informer.lister().get("", name);
    if (!cached) {
        stopServing(name);
        return core::success();
    }
    json crd = *cached;  // never change the cache
    const json* established = findCondition(crd, "Established");
    const bool wasEstablished =
        established != nullptr && established->value("status", "") == "True";
    if (crd.contains("/metadata/deletionTimestamp"_json_pointer)) {
        if (!hasFinalizer(crd)) {
            return core::success();
        }
        if (wasEstablished) {
            // After a restart a terminating CRD is not served yet: serve it under its accepted
            // names, so that its instances can be found and deleted.
            json served = crd;
            served["spec"]["names"] =
                crd.value("/status/acceptedNames"_json_pointer, json::object());
            serve(name, served);
        }
        return finalize(crd);
    }

    const std::string group = stringAt(crd, "/spec/group"_json_pointer);
    const json requested = crd.value("/spec/names"_json_pointer, json::object());
    const json accepted = crd.value("/status/acceptedNames"_json_pointer, json::object());
    json names = accepted.is_object() ? accepted : json::object();
    const auto resources = acceptedNamesInUse(group, name, false);
    const auto kinds = acceptedNamesInUse(group, name, true);
    std::string reason;
    std::string message;
    const auto check = [&](const char* field, const std::vector<std::string>& used,
                           const char* conflictReason) {
        const std::string wanted = requested.value(field, std::string());
        if (availableOrOwn(wanted, accepted.value(field, std::string()), used)) {
            names[field] = wanted;
        } else {
            reason = conflictReason;
            message = inUse(wanted);
        }
    };
    check("plural", resources, "PluralConflict");
    check("singular", resources, "SingularConflict");
    const json shortNames = requested.value("shortNames", json::array());
    const json acceptedShortNames = accepted.value("shortNames", json::array());
    std::vector<std::string> shortNameConflicts;
    for (const auto& shortName : shortNames) {
        const bool own = std::find(acceptedShortNames.begin(), acceptedShortNames.end(),
                                   shortName) != acceptedShortNames.end();
        if (!own && std::find(resources.begin(), resources.end(), shortName.get<std::string>()) !=
                        resources.end()) {
            shortNameConflicts.push_back(inUse(shortName.get<std::string>()));
        }
    }
    if (!shortNameConflicts.empty()) {
        // utilerrors.NewAggregate: one message alone, several as "[a, b]".
        reason = "ShortNamesConflict";
        message = shortNameConflicts.front();
        if (shortNameConflicts.size() > 1) {
            message = "[" + shortNameConflicts.front();
            for (std::size_t i = 1; i < shortNameConflicts.size(); ++i) {
                message += ", " + shortNameConflicts[i];
            }
            message += "]";
        }
    } else {
        if (shortNames.empty()) {
            names.erase("shortNames");
        } else {
            names["shortNames"] = shortNames;
        }
    }
    check("kind", kinds, "KindConflict");
    check("listKind", kinds, "ListKindConflict");
    if (requested.contains("categories")) {
        names["categories"] = requested["categories"];
    } else {
        names.erase("categories");
    }

    const auto now = m_clock();
    json next = crd;
    next["status"]["acceptedNames"] = names;
    const bool namesAccepted = reason.empty();
    if (namesAccepted) {
        setCondition(next, "NamesAccepted", "True", "NoConflicts", "no conflicts found", now);
    } else {
        setCondition(next, "NamesAccepted", "False", reason, message, now);
    }
    if (namesAccepted || wasEstablished) {
        // Served under the accepted names: a later conflicting rename keeps the old ones.
        json served = crd;
        served["spec"]["names"] = names;
        serve(name, served);
        if (!wasEstablished) {
            setCondition(next, "Established", "True", "InitialNamesAccepted",
                         "the initial names have been accepted", now);
        }
    } else {
        setCondition(next, "Established", "False", "NotAccepted", "not all names are accepted",
                     now);
    }
    json stored = next["status"].value("storedVersions", json::array());
    for (const auto& version : crd.value("/spec/versions"_json_pointer, json::array())) {
        if (version.value("storage", false) &&
            std::find(stored.begin(), stored.end(), version["name"]) == stored.end()) {
            stored.push_back(version["name"]);
        }
    }
    next["status"]["storedVersions"] = stored;
    if (next == crd) {
        return core::success();
    }
    auto updated = m_client.updateStatus(crds().named(name), next);
    if (!updated) {
        return updated.error();
    }
    return core::success();
}

core::Result<void> CrdController::finalize(const json& cached) {
    const std::string name = stringAt(cached, "/metadata/name"_json_pointer);
    json crd = cached;
    setCondition(crd, "Terminating", "True", "InstanceDeletionInProgress",
                 "CustomResource deletion is in progress", m_clock());
    if (crd != cached) {
        auto updated = m_client.updateStatus(crds().named(name), crd);
        if (!updated) {
            return updated.error();
        }
        crd = std::move(*updated);
    }
    // Only what this CRD registered: a CRD whose names were never accepted has no instances,
    // and the plural it asked for may be another CRD's.
    std::vector<api::ResourceType> types;
    {
        std::lock_guard lock(m_mutex);
        if (const auto it = m_served.find(name); it != m_served.end()) {
            types = it->second.types;
        }
    }
    // As apiextensions-apiserver: no new instances while the old ones go (405 on create).
    for (auto type : types) {
        type.verbs.erase(std::remove(type.verbs.begin(), type.verbs.end(), "create"),
                         type.verbs.end());
        m_registry.replace(std::move(type));
    }
    // Every version shares one storage: deleting through the first served one removes all.
    if (!types.empty()) {
        const auto& type = types.front();
        const client::ResourceRef instances(type.group, type.version, type.plural);
        if (auto removed = m_client.removeCollection(instances); !removed) {
            return removed.error();
        }
        auto remaining = m_client.list(instances);
        if (!remaining) {
            return remaining.error();
        }
        if (!remaining->items.empty()) {
            return core::Error(core::ErrorCode::Conflict,
                               std::to_string(remaining->items.size()) +
                                   " custom resources are waiting for their finalizers");
        }
    }
    stopServing(name);
    setCondition(crd, "Terminating", "True", "InstanceDeletionCompleted", "removed all instances",
                 m_clock());
    auto updated = m_client.updateStatus(crds().named(name), crd);
    if (!updated) {
        return updated.error();
    }
    json released = std::move(*updated);
    json& finalizers = released["metadata"]["finalizers"];
    finalizers.erase(
        std::remove(finalizers.begin(), finalizers.end(), json(kCustomResourceCleanupFinalizer)),
        finalizers.end());
    auto finalized = m_client.update(crds().named(name), released);
    if (!finalized && finalized.error().code() != core::ErrorCode::NotFound) {
        return finalized.error();
    }
    return core::success();
}

void CrdController::serve(const std::string& name, const json& crd) {
    const std::string fingerprint = crd.value("spec", json::object()).dump();
    std::lock_guard lock(m_mutex);
    Served& served = m_served[name];
    if (served.fingerprint == fingerprint) {
        return;
    }
    auto types = servedResourceTypes(crd);
    for (const auto& old : served.types) {
        const bool kept = std::any_of(types.begin(), types.end(), [&old](const auto& type) {
            return type.group == old.group && type.version == old.version &&
                   type.plural == old.plural;
        });
        if (!kept) {
            [[maybe_unused]] const auto removed =
                m_registry.remove(old.group, old.version, old.plural);
        }
    }
    for (const auto& type : types) {
        m_registry.replace(type);
        spdlog::info("serving {}/{}, Kind={}", type.qualifiedResource(), type.version, type.kind);
    }
    served.fingerprint = fingerprint;
    served.types = std::move(types);
    served.crd = crd;
}

void CrdController::stopServing(const std::string& name) {
    std::lock_guard lock(m_mutex);
    const auto it = m_served.find(name);
    if (it == m_served.end()) {
        return;
    }
    for (const auto& type : it->second.types) {
        [[maybe_unused]] const auto removed =
            m_registry.remove(type.group, type.version, type.plural);
        spdlog::info("stopped serving {}/{}", type.qualifiedResource(), type.version);
    }
    m_served.erase(it);
}

std::vector<CustomResourceSchema> CrdController::schemas() const {
    std::lock_guard lock(m_mutex);
    std::vector<CustomResourceSchema> result;
    for (const auto& [name, served] : m_served) {
        const json spec = served.crd.value("spec", json::object());
        for (const auto& version : spec.value("versions", json::array())) {
            if (!version.value("served", false)) {
                continue;
            }
            result.push_back({spec.value("group", std::string()),
                              version.value("name", std::string()),
                              stringAt(spec, "/names/kind"_json_pointer),
                              stringAt(spec, "/names/plural"_json_pointer),
                              spec.value("scope", std::string()) != "Cluster",
                              version.value("/schema/openAPIV3Schema"_json_pointer, json())});
        }
    }
    return result;
}

}  // namespace slipway::apiextensions
