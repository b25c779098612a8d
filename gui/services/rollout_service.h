// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>

#include <QObject>
#include <QString>

#include "gui/models/rollout_model.h"
#include "gui/services/cluster_connection.h"

namespace slipway::gui {

class ApiSession;

/// Applies RolloutModel's commands to the cluster off the GUI thread: each DeploymentPatch is
/// sent as the PATCH kubectl would send, and answered with patchApplied on this object's thread.
class RolloutService : public QObject {
    Q_OBJECT

public:
    explicit RolloutService(ConnectionTarget target, QObject* parent = nullptr);
    ~RolloutService() override;

public slots:
    void applyPatch(const slipway::gui::DeploymentPatch& patch);

signals:
    /// `error` is empty when the patch was applied.
    void patchApplied(const QString& description, const QString& error);

private:
    struct Shared;
    std::shared_ptr<Shared> m_shared;
};

}  // namespace slipway::gui
