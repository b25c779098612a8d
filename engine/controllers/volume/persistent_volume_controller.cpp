// SPDX-License-Identifier: Apache-2.0
#include "engine/controllers/volume/persistent_volume_controller.h"

#include <algorithm>
#include <optional>

#include <spdlog/spdlog.h>

#include "engine/api/json_fields.h"
#include "engine/client/indexer.h"
#include "engine/core/quantity.h"

namespace slipway::controllers {

namespace {

using api::detail::arrayAt;
using api::detail::objectAt;
using api::detail::stringAt;
using nlohmann::json;

constexpr const char* kDefaultClassAnnotation = "storageclass.kubernetes.io/is-default-class";
constexpr const char* kProvisionedBy = "pv.kubernetes.io/provisioned-by";
constexpr const char* kBoundByController = "pv.kubernetes.io/bound-by-controller";
constexpr const char* kBindCompleted = "pv.kubernetes.io/bind-completed";
constexpr const char* kVolumePrefix = "pv:";
constexpr int kMaxRetries = 15;

const client::ResourceRef kClaims("", "v1", "persistentvolumeclaims");
const client::ResourceRef kVolumes("", "v1", "persistentvolumes");
const client::ResourceRef kClasses("storage.k8s.io", "v1", "storageclasses");

std::optional<core::Quantity> quantityAt(const json& object,
                                         std::initializer_list<std::string_view> path) {
    const json* value = api::detail::at(object, path);
    if (!value) {
        return std::nullopt;
    }
    auto parsed = core::Quantity::fromJson(*value);
    return parsed ? std::optional<core::Quantity>(*parsed) : std::nullopt;
}

bool hasAllModes(const json& volume, const json& claim) {
    const json& offered = arrayAt(volume, {"spec", "accessModes"});
    for (const auto& mode : arrayAt(claim, {"spec", "accessModes"})) {
        if (std::find(offered.begin(), offered.end(), mode) == offered.end()) {
            return false;
        }
    }
    return true;
}

}  // namespace

PersistentVolumeController::PersistentVolumeController(const ControllerContext& context,
                                                       StorageOptions options)
    : m_client(context.client),
      m_options(std::move(options)),
      m_claims(context.informers.informerFor(kClaims)),
      m_volumes(context.informers.informerFor(kVolumes)),
      m_classes(context.informers.informerFor(kClasses)),
      m_recorder(context.recorder("persistentvolume-controller")),
      m_queue(client::WorkQueueOptions{"persistentvolume", 100'000, {}}) {
    const auto enqueueClaim = [this](const client::ObjectPtr& claim) {
        m_queue.add(client::objectKey(*claim));
    };
    m_claims.addEventHandler(
        {enqueueClaim,
         [enqueueClaim](const client::ObjectPtr&, const client::ObjectPtr& c) { enqueueClaim(c); },
         [this](const client::ObjectPtr& claim) {
             // Its volume is released: reclaim it.
             const auto volume = stringAt(*claim, {"spec", "volumeName"});
             if (!volume.empty()) {
                 m_queue.add(kVolumePrefix + volume);
             }
         }});
    const auto enqueueVolume = [this](const client::ObjectPtr& volume) {
        m_queue.add(kVolumePrefix + client::objectKey(*volume));
        enqueuePendingClaims();  // a new Available volume may fit a waiting claim
    };
    // A new default class lets waiting claims go on.
    m_classes.addEventHandler(
        {[this](const client::ObjectPtr&) { enqueuePendingClaims(); },
         [this](const client::ObjectPtr&, const client::ObjectPtr&) { enqueuePendingClaims(); },
         {}});
    m_volumes.addEventHandler({enqueueVolume,
                               [enqueueVolume](const client::ObjectPtr&,
                                               const client::ObjectPtr& v) { enqueueVolume(v); },
                               {}});
}

void PersistentVolumeController::enqueuePendingClaims() {
    for (const auto& claim : m_claims.lister().list()) {
        if (stringAt(*claim, {"status", "phase"}) != "Bound") {
            m_queue.add(client::objectKey(*claim));
        }
    }
}

PersistentVolumeController::~PersistentVolumeController() {
    stop();
}

void PersistentVolumeController::run(int workers) {
    if (auto made = ensureDefaultClass(); !made) {
        spdlog::warn("default StorageClass {}: {}", m_options.defaultClass, made.error().message());
    }
    m_workers.start(
        m_queue, workers, [this](const std::string& key) { return sync(key); }, kMaxRetries);
}

void PersistentVolumeController::stop() {
    m_workers.stop();
}

core::Result<void> PersistentVolumeController::ensureDefaultClass() {
    if (m_options.defaultClass.empty()) {
        return {};
    }
    const json storageClass = {
        {"apiVersion", "storage.k8s.io/v1"},
        {"kind", "StorageClass"},
        {"metadata",
         {{"name", m_options.defaultClass},
          {"annotations", {{kDefaultClassAnnotation, "true"}}},
          {"labels", {{"addonmanager.kubernetes.io/mode", "EnsureExists"}}}}},
        {"provisioner", m_options.provisioner},
        {"reclaimPolicy", "Delete"},
        {"volumeBindingMode", "Immediate"},
    };
    auto created = m_client.create(kClasses, storageClass);
    if (!created && created.error().code() != core::ErrorCode::AlreadyExists) {
        return created.error();
    }
    return {};
}

core::Result<void> PersistentVolumeController::sync(const std::string& key) {
    if (key.starts_with(kVolumePrefix)) {
        return syncVolume(key.substr(std::string_view(kVolumePrefix).size()));
    }
    const auto [nameSpace, name] = client::splitObjectKey(key);
    return syncClaim(nameSpace, name);
}

core::Result<void> PersistentVolumeController::syncClaim(const std::string& nameSpace,
                                                         const std::string& name) {
    const auto found = m_claims.lister().get(nameSpace, name);
    if (!found || api::detail::has(*found, {"metadata", "deletionTimestamp"})) {
        return {};
    }
    json claim = *found;
    const auto claimRef = kClaims.in(nameSpace).named(name);

    // Retroactive default class (kube 1.28+): a claim that names no class gets the default.
    if (!api::detail::has(claim, {"spec", "storageClassName"})) {
        std::string defaultClass;
        for (const auto& storageClass : m_classes.lister().list()) {
            if (stringAt(*storageClass, {"metadata", "annotations", kDefaultClassAnnotation}) ==
                "true") {
                defaultClass = stringAt(*storageClass, {"metadata", "name"});
            }
        }
        if (defaultClass.empty()) {
            return {};  // stays Pending until a default class appears
        }
        auto patched = m_client.patch(claimRef, client::PatchType::Merge,
                                      json{{"spec", {{"storageClassName", defaultClass}}}});
        return patched ? core::Result<void>{} : core::Result<void>(patched.error());
    }
    const std::string className = stringAt(claim, {"spec", "storageClassName"});
    const std::string uid = stringAt(claim, {"metadata", "uid"});

    // Already bound: make sure the claim says so.
    std::string volumeName = stringAt(claim, {"spec", "volumeName"});
    client::ObjectPtr volume;
    if (!volumeName.empty()) {
        volume = m_volumes.lister().get("", volumeName);
    } else {
        // An Available volume of the class that fits, smallest first.
        const auto requested = quantityAt(claim, {"spec", "resources", "requests", "storage"});
        std::optional<core::Quantity> best;
        for (const auto& candidate : m_volumes.lister().list()) {
            const json& ref = objectAt(*candidate, {"spec", "claimRef"});
            const bool reservedForUs =
                stringAt(ref, {"name"}) == name && stringAt(ref, {"namespace"}) == nameSpace;
            if ((!ref.empty() && !reservedForUs) ||
                stringAt(*candidate, {"spec", "storageClassName"}) != className ||
                stringAt(*candidate, {"status", "phase"}) == "Released" ||
                !hasAllModes(*candidate, claim)) {
                continue;
            }
            const auto capacity = quantityAt(*candidate, {"spec", "capacity", "storage"});
            if (!capacity || (requested && *capacity < *requested)) {
                continue;
            }
            if (reservedForUs || !best || *capacity < *best) {
                best = capacity;
                volume = candidate;
                if (reservedForUs) {
                    break;
                }
            }
        }
    }

    if (!volume && volumeName.empty()) {
        // Provision, if the class is ours.
        const auto storageClass = m_classes.lister().get("", className);
        if (!storageClass || stringAt(*storageClass, {"provisioner"}) != m_options.provisioner) {
            return {};  // someone else's (or no) provisioner: wait, as kube does
        }
        volumeName = "pvc-" + uid;
        const json request = *api::detail::at(claim, {"spec", "resources", "requests", "storage"});
        json pv = {
            {"apiVersion", "v1"},
            {"kind", "PersistentVolume"},
            {"metadata",
             {{"name", volumeName}, {"annotations", {{kProvisionedBy, m_options.provisioner}}}}},
            {"spec",
             {{"capacity", {{"storage", request}}},
              {"accessModes", arrayAt(claim, {"spec", "accessModes"})},
              {"persistentVolumeReclaimPolicy",
               stringAt(*storageClass, {"reclaimPolicy"}, "Delete")},
              {"storageClassName", className},
              {"volumeMode", stringAt(claim, {"spec", "volumeMode"}, "Filesystem")},
              {"claimRef",
               {{"apiVersion", "v1"},
                {"kind", "PersistentVolumeClaim"},
                {"namespace", nameSpace},
                {"name", name},
                {"uid", uid}}},
              {"hostPath",
               {{"path", (m_options.hostPathRoot / nameSpace / name).string()},
                {"type", "DirectoryOrCreate"}}}}},
        };
        auto created = m_client.create(kVolumes, pv);
        if (!created && created.error().code() != core::ErrorCode::AlreadyExists) {
            m_recorder->event(claim, client::EventRecorder::kWarning, "ProvisioningFailed",
                              "failed to provision volume with StorageClass \"" + className +
                                  "\": " + created.error().message());
            return created.error();
        }
        m_recorder->event(claim, client::EventRecorder::kNormal, "ProvisioningSucceeded",
                          "Successfully provisioned volume " + volumeName);
        if (created) {
            volume = std::make_shared<const json>(*created);
        }
    }
    if (!volume) {
        return {};  // the informer will show the volume and bring the claim back
    }
    volumeName = stringAt(*volume, {"metadata", "name"});

    // Bind both ways: the volume's claimRef and phase, then the claim's volumeName and phase.
    json pv = *volume;
    if (stringAt(pv, {"spec", "claimRef", "uid"}) != uid) {
        pv["spec"]["claimRef"] = {{"apiVersion", "v1"},
                                  {"kind", "PersistentVolumeClaim"},
                                  {"namespace", nameSpace},
                                  {"name", name},
                                  {"uid", uid}};
        pv["metadata"]["annotations"][kBoundByController] = "yes";
        auto updated = m_client.update(kVolumes.named(volumeName), pv);
        if (!updated) {
            return updated.error();
        }
        pv = *updated;
    }
    if (stringAt(pv, {"status", "phase"}) != "Bound") {
        pv["status"]["phase"] = "Bound";
        auto updated = m_client.updateStatus(kVolumes.named(volumeName), pv);
        if (!updated) {
            return updated.error();
        }
    }
    if (stringAt(claim, {"spec", "volumeName"}) != volumeName ||
        stringAt(claim, {"metadata", "annotations", kBindCompleted}) != "yes") {
        claim["spec"]["volumeName"] = volumeName;
        claim["metadata"]["annotations"][kBindCompleted] = "yes";
        claim["metadata"]["annotations"][kBoundByController] = "yes";
        auto updated = m_client.update(claimRef, claim);
        if (!updated) {
            return updated.error();
        }
        claim = *updated;
    }
    if (stringAt(claim, {"status", "phase"}) != "Bound") {
        claim["status"]["phase"] = "Bound";
        claim["status"]["accessModes"] = arrayAt(pv, {"spec", "accessModes"});
        claim["status"]["capacity"] = objectAt(pv, {"spec", "capacity"});
        auto updated = m_client.updateStatus(claimRef, claim);
        if (!updated) {
            return updated.error();
        }
    }
    return {};
}

core::Result<void> PersistentVolumeController::syncVolume(const std::string& name) {
    const auto found = m_volumes.lister().get("", name);
    if (!found) {
        return {};
    }
    const json& volume = *found;
    const json& claimRef = objectAt(volume, {"spec", "claimRef"});
    if (claimRef.empty()) {
        if (stringAt(volume, {"status", "phase"}) != "Available") {
            json available = volume;
            available["status"]["phase"] = "Available";
            auto updated = m_client.updateStatus(kVolumes.named(name), available);
            return updated ? core::Result<void>{} : core::Result<void>(updated.error());
        }
        return {};
    }
    const auto claim =
        m_claims.lister().get(stringAt(claimRef, {"namespace"}), stringAt(claimRef, {"name"}));
    const bool claimGone =
        !claim || stringAt(*claim, {"metadata", "uid"}) != stringAt(claimRef, {"uid"});
    if (!claimGone || stringAt(claimRef, {"uid"}).empty()) {
        return {};
    }
    // Released: reclaim by policy.
    const std::string policy =
        stringAt(volume, {"spec", "persistentVolumeReclaimPolicy"}, "Retain");
    if (policy == "Delete") {
        auto removed = m_client.remove(kVolumes.named(name));
        if (!removed && removed.error().code() != core::ErrorCode::NotFound) {
            return removed.error();
        }
        return {};
    }
    if (stringAt(volume, {"status", "phase"}) != "Released") {
        json released = volume;
        released["status"]["phase"] = "Released";
        auto updated = m_client.updateStatus(kVolumes.named(name), released);
        if (!updated) {
            return updated.error();
        }
    }
    return {};
}

}  // namespace slipway::controllers
