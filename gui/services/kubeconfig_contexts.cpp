// SPDX-License-Identifier: Apache-2.0
#include "gui/services/kubeconfig_contexts.h"

#include <mutex>

#include <QDir>
#include <QMetaObject>
#include <QThreadPool>

#include "engine/pki/kubeconfig.h"

namespace slipway::gui {

/// As ClusterService's: the receiver unhooks itself under the mutex when destroyed.
struct KubeconfigContexts::Shared {
    std::mutex mutex;
    KubeconfigContexts* receiver = nullptr;
};

KubeconfigContexts::KubeconfigContexts(QObject* parent)
    : QObject(parent), m_shared(std::make_shared<Shared>()) {
    m_shared->receiver = this;
}

KubeconfigContexts::~KubeconfigContexts() {
    const std::lock_guard lock(m_shared->mutex);
    m_shared->receiver = nullptr;
}

QString KubeconfigContexts::defaultPath() {
    const QString variable = qEnvironmentVariable("KUBECONFIG");
    const QStringList entries = variable.split(QDir::listSeparator(), Qt::SkipEmptyParts);
    if (!entries.isEmpty()) {
        return entries.constFirst();
    }
    return QDir::home().filePath(QStringLiteral(".kube/config"));
}

void KubeconfigContexts::list(const QString& path) {
    QThreadPool::globalInstance()->start([shared = m_shared, path] {
        auto kubeconfig = pki::Kubeconfig::load(path.toStdString());
        QStringList contexts;
        QString current;
        QString error;
        if (kubeconfig.ok()) {
            for (const auto& context : kubeconfig.value().contexts) {
                contexts.append(QString::fromStdString(context.name));
            }
            current = QString::fromStdString(kubeconfig.value().currentContext);
        } else {
            error = QString::fromStdString(kubeconfig.error().message());
        }
        const std::lock_guard lock(shared->mutex);
        if (shared->receiver == nullptr) {
            return;
        }
        KubeconfigContexts* receiver = shared->receiver;
        QMetaObject::invokeMethod(
            receiver,
            [receiver, path, contexts, current, error] {
                if (error.isEmpty()) {
                    emit receiver->listed(path, contexts, current);
                } else {
                    emit receiver->failed(path, error);
                }
            },
            Qt::QueuedConnection);
    });
}

}  // namespace slipway::gui
