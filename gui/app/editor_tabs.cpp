// SPDX-License-Identifier: Apache-2.0
#include "gui/app/editor_tabs.h"

#include <algorithm>

#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QTabWidget>

#include "gui/models/manifest_editor_model.h"
#include "gui/services/apply_service.h"
#include "gui/views/manifest_editor_page.h"

namespace slipway::gui {

EditorTabs::EditorTabs(QTabWidget* tabs, QObject* parent) : QObject(parent), m_tabs(tabs) {}

ManifestEditorPage* EditorTabs::open(const QString& path, const ConnectionTarget* extraTarget) {
    if (extraTarget != nullptr &&
        std::none_of(m_extraTargets.begin(), m_extraTargets.end(), [&](const auto& t) {
            return t.kubeconfigPath == extraTarget->kubeconfigPath &&
                   t.context == extraTarget->context;
        })) {
        m_extraTargets.prepend(*extraTarget);
    }
    if (!path.isEmpty()) {
        const QString absolute = QFileInfo(path).absoluteFilePath();
        for (int i = 0; i < m_tabs->count(); ++i) {
            auto* existing = qobject_cast<ManifestEditorPage*>(m_tabs->widget(i));
            if (existing != nullptr && existing->model()->filePath() == absolute) {
                m_tabs->setCurrentIndex(i);
                updateTargets();
                return existing;
            }
        }
    }
    // The tab owns its model (inside the page) and its apply service.
    auto* page = new ManifestEditorPage(m_tabs);
    auto* service = new ApplyService(page);
    auto run = [this, page, service](ApplyService::Operation operation) {
        const int index = page->currentTarget();
        if (index < 0 || index >= m_targets.size()) {
            return;
        }
        service->setTarget(m_targets.at(index));
        const auto objects = page->model()->document().objects();
        switch (operation) {
            case ApplyService::Operation::DryRun:
                service->dryRun(objects);
                break;
            case ApplyService::Operation::Diff:
                service->diff(objects);
                break;
            case ApplyService::Operation::Apply:
                service->apply(objects);
                break;
        }
    };
    connect(page, &ManifestEditorPage::dryRunRequested, service,
            [run] { run(ApplyService::Operation::DryRun); });
    connect(page, &ManifestEditorPage::diffRequested, service,
            [run] { run(ApplyService::Operation::Diff); });
    connect(page, &ManifestEditorPage::applyRequested, service,
            [run] { run(ApplyService::Operation::Apply); });
    connect(service, &ApplyService::busyChanged, page, &ManifestEditorPage::setBusy);
    connect(service, &ApplyService::finished, page,
            [this, page](ApplyService::Operation operation, const QList<ApplyOutcome>& outcomes,
                         const QString& diff) {
                const int index = page->currentTarget();
                const QString target = index >= 0 && index < m_targets.size()
                                           ? m_targets.at(index).displayName
                                           : QString();
                QStringList lines;
                bool failed = false;
                for (const ApplyOutcome& outcome : outcomes) {
                    failed = failed || !outcome.error.isEmpty();
                    lines << (outcome.error.isEmpty()
                                  ? tr("%1 %2").arg(outcome.object, outcome.action)
                                  : tr("%1: %2").arg(outcome.object, outcome.error));
                }
                const QString heading = operation == ApplyService::Operation::Apply
                                            ? tr("Applied to %1").arg(target)
                                        : operation == ApplyService::Operation::DryRun
                                            ? tr("Dry run on %1").arg(target)
                                            : tr("Diff against %1").arg(target);
                QString text = diff;
                if (operation == ApplyService::Operation::Diff && diff.isEmpty() && !failed) {
                    text = tr("No differences: the cluster matches the manifest.");
                }
                page->showOutcome(heading, lines, text, failed);
            });
    connect(service, &ApplyService::failed, page,
            [page](ApplyService::Operation, const QString& message) {
                page->showOutcome(tr("Could not reach the cluster"), {message}, {}, true);
            });
    connect(page, &ManifestEditorPage::titleChanged, this, [this, page](const QString& title) {
        m_tabs->setTabText(m_tabs->indexOf(page), tr("Manifest: %1").arg(title));
    });
    m_tabs->setCurrentIndex(m_tabs->addTab(page, tr("Manifest: %1").arg(page->title())));
    updateTargets();
    if (path.isEmpty()) {
        page->model()->newFromTemplate(QStringLiteral("Deployment"));
    } else {
        page->model()->load(path);
    }
    return page;
}

void EditorTabs::openWithDialog(QWidget* parent) {
    const QString path = QFileDialog::getOpenFileName(
        parent, tr("Open Manifest"), QString(), tr("YAML manifests (*.yaml *.yml);;All files (*)"));
    if (!path.isEmpty()) {
        open(path);
    }
}

void EditorTabs::fillRecentMenu(QMenu* menu) {
    menu->clear();
    const QStringList files = ManifestEditorModel::recentFiles();
    for (const QString& file : files) {
        menu->addAction(file, this, [this, file] { open(file); });
    }
    if (files.isEmpty()) {
        menu->addAction(tr("No recent manifests"))->setEnabled(false);
    }
}

void EditorTabs::setClusters(const std::vector<vm::ClusterStatus>& clusters) {
    m_clusterTargets.clear();
    for (const vm::ClusterStatus& cluster : clusters) {
        if (cluster.state == vm::ClusterState::Running && !cluster.kubeconfigPath.empty()) {
            m_clusterTargets.append(ConnectionTarget{QString::fromStdString(cluster.kubeconfigPath),
                                                     QString(),
                                                     QString::fromStdString(cluster.spec.name)});
        }
    }
    updateTargets();
}

void EditorTabs::updateTargets() {
    m_targets = m_extraTargets + m_clusterTargets;
    QStringList names;
    for (const ConnectionTarget& target : std::as_const(m_targets)) {
        names << (target.displayName.isEmpty() ? target.kubeconfigPath : target.displayName);
    }
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (auto* page = qobject_cast<ManifestEditorPage*>(m_tabs->widget(i))) {
            const int current = page->currentTarget();
            page->setTargets(names, current >= 0 && current < names.size() ? current : 0);
        }
    }
}

void EditorTabs::closeTab(QWidget* page, const std::function<void()>& close) {
    if (auto* editor = qobject_cast<ManifestEditorPage*>(page)) {
        editor->maybeSave(close);
    } else {
        close();
    }
}

bool EditorTabs::mayCloseWindow(const std::function<void()>& retry) {
    for (int i = 0; i < m_tabs->count(); ++i) {
        auto* page = qobject_cast<ManifestEditorPage*>(m_tabs->widget(i));
        if (page != nullptr && page->model()->isModified()) {
            // One editor at a time: once it is settled, the window tries closing again.
            page->maybeSave([this, page, retry] {
                m_tabs->removeTab(m_tabs->indexOf(page));
                page->deleteLater();
                QMetaObject::invokeMethod(this, retry, Qt::QueuedConnection);
            });
            return false;
        }
    }
    return true;
}

}  // namespace slipway::gui
