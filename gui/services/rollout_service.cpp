// SPDX-License-Identifier: Apache-2.0
#include "gui/services/rollout_service.h"

#include <mutex>

#include <QMetaObject>
#include <QThreadPool>

#include "engine/client/resource_ref.h"
#include "gui/services/api_session.h"

namespace slipway::gui {

/// What pool tasks share with the service; the service unhooks itself when destroyed.
struct RolloutService::Shared {
    explicit Shared(ConnectionTarget target) : session(std::move(target)) {}

    ApiSession session;
    std::mutex mutex;
    RolloutService* receiver = nullptr;  // guarded by mutex

    void answer(const QString& description, const QString& error) {
        const std::lock_guard lock(mutex);
        if (receiver == nullptr) {
            return;
        }
        RolloutService* target = receiver;
        QMetaObject::invokeMethod(
            target, [target, description, error] { emit target->patchApplied(description, error); },
            Qt::QueuedConnection);
    }
};

RolloutService::RolloutService(ConnectionTarget target, QObject* parent)
    : QObject(parent), m_shared(std::make_shared<Shared>(std::move(target))) {
    m_shared->receiver = this;
}

RolloutService::~RolloutService() {
    const std::lock_guard lock(m_shared->mutex);
    m_shared->receiver = nullptr;
}

void RolloutService::applyPatch(const DeploymentPatch& patch) {
    QThreadPool::globalInstance()->start([shared = m_shared, patch] {
        auto api = shared->session.client();
        if (!api.ok()) {
            shared->answer(patch.description, QString::fromStdString(api.error().message()));
            return;
        }
        client::WriteOptions options;
        options.fieldManager = "slipway-studio";
        const auto ref = client::resources::deployments()
                             .in(patch.nameSpace.toStdString())
                             .named(patch.name.toStdString());
        auto result = api.value()->patch(ref, patch.type, patch.body, options);
        shared->answer(patch.description,
                       result.ok() ? QString() : QString::fromStdString(result.error().message()));
    });
}

}  // namespace slipway::gui
