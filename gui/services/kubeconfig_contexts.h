// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>

#include <QObject>
#include <QString>
#include <QStringList>

namespace slipway::gui {

/// Lists the contexts of a kubeconfig file off the GUI thread, so that Studio can offer the
/// user's own clusters (kubectl's contexts) beside Slipway's.
class KubeconfigContexts : public QObject {
    Q_OBJECT

public:
    explicit KubeconfigContexts(QObject* parent = nullptr);
    ~KubeconfigContexts() override;

    /// The file kubectl would read: the first entry of $KUBECONFIG, else ~/.kube/config.
    static QString defaultPath();

public slots:
    /// Reads `path`; answers with listed or failed.
    void list(const QString& path);

signals:
    /// The contexts of `path` in file order, and its current-context.
    void listed(const QString& path, const QStringList& contexts, const QString& current);
    void failed(const QString& path, const QString& message);

private:
    struct Shared;
    std::shared_ptr<Shared> m_shared;
};

}  // namespace slipway::gui
