// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <vector>

#include <QList>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <nlohmann/json.hpp>

#include "gui/services/cluster_connection.h"

namespace slipway::gui {

/// What happened to one object of a manifest.
struct ApplyOutcome {
    QString object;  ///< "deployment.apps/web", as kubectl names it
    /// "created", "configured", "unchanged" (with " (server dry run)" for a dry run); empty
    /// when `error` says why nothing happened.
    QString action;
    QString error;  ///< the server's message (Status), or a client-side reason
};

/// The annotation kubectl's client-side apply keeps the last applied manifest in.
inline constexpr const char* kLastAppliedAnnotation =
    "kubectl.kubernetes.io/last-applied-configuration";

/// The JSON merge patch that kubectl's client-side apply sends for an object without
/// strategic-merge metadata: fields the manifest (`modified`) sets differently from the live
/// object (`current`) are set, maps recursively, lists whole (a list whose elements the live
/// ones hold, plus server defaults, is left alone); fields the last applied manifest
/// (`original`) had and `modified` has dropped are deleted (null). Empty when nothing is to do.
nlohmann::json threeWayMergePatch(const nlohmann::json& original, const nlohmann::json& modified,
                                  const nlohmann::json& current);

/// The strategic merge patch kubectl's client-side apply sends for a built-in kind
/// (`modified`'s apiVersion and kind): as threeWayMergePatch, but lists that Kubernetes merges
/// on a key (containers by name, Service ports by port, env by name) get an element per changed,
/// new or dropped (`$patch: delete`) element and `$setElementOrder`, sets of scalars
/// (finalizers) get additions and `$deleteFromPrimitiveList`, and maps tagged retainKeys (a
/// Deployment's strategy, volumes) get `$retainKeys`, so that what the server or other clients
/// set inside list elements (a NodePort's allocated port) survives. Kinds without patch
/// metadata get threeWayMergePatch's answer.
nlohmann::json threeWayStrategicMergePatch(const nlohmann::json& original,
                                           const nlohmann::json& modified,
                                           const nlohmann::json& current);

/// Dry run, diff and apply of manifest objects against a cluster, through engine/client on a
/// pool thread; answers come back as queued signals, so the GUI thread never waits.
///
/// Apply works as `kubectl apply` (client-side): an object that does not exist is created with
/// the manifest recorded in kLastAppliedAnnotation; one that exists gets threeWayMergePatch()
/// of (last applied, manifest, live), as a strategic merge patch for built-in kinds
/// (threeWayStrategicMergePatch) or a merge patch for others, or nothing when it is empty. Requests
/// use fieldManager "slipway-studio" and fieldValidation=Strict, as kubectl's defaults. A dry
/// run makes the same requests with dryRun=All; a diff makes the dry run and compares the live
/// object with what the server answered, as `kubectl diff` does (managedFields and the
/// last-applied annotation left out, to keep it readable).
class ApplyService : public QObject {
    Q_OBJECT

public:
    enum class Operation { DryRun, Diff, Apply };
    Q_ENUM(Operation)

    explicit ApplyService(QObject* parent = nullptr);
    ~ApplyService() override;

    const ConnectionTarget& target() const { return m_target; }
    void setTarget(const ConnectionTarget& target) { m_target = target; }

    /// An operation has been started and has not finished.
    bool isBusy() const { return m_running > 0; }

public slots:
    void dryRun(const std::vector<nlohmann::json>& objects);
    void diff(const std::vector<nlohmann::json>& objects);
    void apply(const std::vector<nlohmann::json>& objects);

signals:
    /// One outcome per object, in manifest order; for Diff, `diffText` is the unified diff of
    /// every object (empty when the cluster already matches).
    void finished(slipway::gui::ApplyService::Operation operation,
                  const QList<slipway::gui::ApplyOutcome>& outcomes, const QString& diffText);
    /// The cluster could not be reached at all (bad kubeconfig, server down).
    void failed(slipway::gui::ApplyService::Operation operation, const QString& message);
    void busyChanged(bool busy);

private:
    struct Shared;

    void run(Operation operation, std::vector<nlohmann::json> objects);

    ConnectionTarget m_target;
    std::shared_ptr<Shared> m_shared;
    int m_running = 0;
};

}  // namespace slipway::gui

Q_DECLARE_METATYPE(slipway::gui::ApplyOutcome)
