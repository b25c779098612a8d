// SPDX-License-Identifier: Apache-2.0
#include "gui/models/manifest_editor_model.h"

#include <mutex>
#include <utility>

#include <QFile>
#include <QFileInfo>
#include <QMetaObject>
#include <QSaveFile>
#include <QSettings>
#include <QThreadPool>

#include "gui/models/manifest_form_model.h"
#include "gui/models/manifest_templates.h"

namespace slipway::gui {

namespace {

const auto kRecentFilesKey = QStringLiteral("editor/recentFiles");

}  // namespace

/// What pool tasks share with the model: they post back only while it lives (the model unhooks
/// itself under the mutex when destroyed).
struct ManifestEditorModel::Shared {
    std::mutex mutex;
    ManifestEditorModel* receiver = nullptr;  // guarded by mutex

    template <typename Function>
    void post(Function function) {
        const std::lock_guard lock(mutex);
        if (receiver == nullptr) {
            return;
        }
        ManifestEditorModel* target = receiver;
        QMetaObject::invokeMethod(
            target, [target, function = std::move(function)]() mutable { function(*target); },
            Qt::QueuedConnection);
    }
};

ManifestEditorModel::ManifestEditorModel(QObject* parent)
    : QObject(parent), m_form(nullptr), m_shared(std::make_shared<Shared>()) {
    qRegisterMetaType<slipway::gui::TextEdit>();
    m_shared->receiver = this;
    m_form = new ManifestFormModel(this);
    m_validationTimer.setSingleShot(true);
    m_validationTimer.setInterval(kDefaultValidationDelay);
    connect(&m_validationTimer, &QTimer::timeout, this, &ManifestEditorModel::startValidation);
}

ManifestEditorModel::~ManifestEditorModel() {
    const std::lock_guard lock(m_shared->mutex);
    m_shared->receiver = nullptr;
}

std::chrono::milliseconds ManifestEditorModel::validationDelay() const {
    return m_validationTimer.intervalAsDuration();
}

void ManifestEditorModel::setValidationDelay(std::chrono::milliseconds delay) {
    m_validationTimer.setInterval(delay);
}

void ManifestEditorModel::setCurrentPart(int part) {
    const int count = static_cast<int>(m_document.parts().size());
    part = count == 0 ? 0 : std::clamp(part, 0, count - 1);
    if (part == m_currentPart) {
        return;
    }
    m_currentPart = part;
    emit currentPartChanged(part);
}

void ManifestEditorModel::setCurrentLine(int line) {
    setCurrentPart(m_document.partAtLine(line));
}

void ManifestEditorModel::setText(const QString& text) {
    std::string utf8 = text.toStdString();
    if (utf8 == m_document.text()) {
        return;  // the editor applying our own edit
    }
    const bool wasModified = isModified();
    m_document.setText(std::move(utf8));
    textChanged(wasModified);
}

void ManifestEditorModel::textChanged(bool wasModified) {
    const int count = static_cast<int>(m_document.parts().size());
    if (m_currentPart >= count) {
        m_currentPart = std::max(0, count - 1);
        emit currentPartChanged(m_currentPart);
    }
    ++m_generation;
    m_validationTimer.start();
    emit documentChanged();
    if (wasModified != isModified()) {
        emit modifiedChanged(isModified());
    }
}

bool ManifestEditorModel::setValue(int part, const std::string& pointer,
                                   const nlohmann::json& value) {
    const bool wasModified = isModified();
    auto result = m_document.setValue(part, pointer, value);
    if (!result) {
        return false;
    }
    emit textEdited(result->edit);
    textChanged(wasModified);
    return true;
}

bool ManifestEditorModel::removeValue(int part, const std::string& pointer) {
    const bool wasModified = isModified();
    auto result = m_document.removeValue(part, pointer);
    if (!result) {
        return false;
    }
    emit textEdited(result->edit);
    textChanged(wasModified);
    return true;
}

void ManifestEditorModel::validateNow() {
    m_validationTimer.stop();
    startValidation();
}

void ManifestEditorModel::startValidation() {
    m_validating = true;
    QThreadPool::globalInstance()->start([shared = m_shared, document = m_document,
                                          generation = m_generation] {
        auto diagnostics = validateManifest(document);
        shared->post(
            [generation, diagnostics = std::move(diagnostics)](ManifestEditorModel& model) mutable {
                if (generation != model.m_generation) {
                    return;  // the text has changed since; its own validation follows
                }
                model.m_validating = model.m_validationTimer.isActive();
                model.m_diagnostics = std::move(diagnostics);
                emit model.diagnosticsChanged();
            });
    });
}

void ManifestEditorModel::newFromTemplate(const QString& kind, const QString& name) {
    const bool wasModified = isModified();
    m_filePath.clear();
    m_savedText.clear();
    m_document.setText(manifestTemplate(kind.toStdString(), name.toStdString()));
    m_currentPart = 0;
    emit textReset();
    emit currentPartChanged(0);
    textChanged(wasModified);
}

void ManifestEditorModel::load(const QString& path) {
    QThreadPool::globalInstance()->start([shared = m_shared, path] {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            const QString message = file.errorString();
            shared->post([path, message](ManifestEditorModel& model) {
                emit model.fileFailed(path, message);
            });
            return;
        }
        std::string text = file.readAll().toStdString();
        shared->post([path, text = std::move(text)](ManifestEditorModel& model) mutable {
            const bool wasModified = model.isModified();
            model.m_filePath = QFileInfo(path).absoluteFilePath();
            model.m_savedText = text;
            model.m_document.setText(std::move(text));
            model.m_currentPart = 0;
            addRecentFile(model.m_filePath);
            emit model.textReset();
            emit model.currentPartChanged(0);
            model.textChanged(wasModified);
            emit model.fileLoaded(model.m_filePath);
        });
    });
}

void ManifestEditorModel::save(const QString& path) {
    QThreadPool::globalInstance()->start([shared = m_shared, path, text = m_document.text()] {
        QSaveFile file(path);
        QString message;
        if (!file.open(QIODevice::WriteOnly) ||
            file.write(text.data(), static_cast<qint64>(text.size())) !=
                static_cast<qint64>(text.size()) ||
            !file.commit()) {
            message = file.errorString();
        }
        shared->post([path, text, message](ManifestEditorModel& model) {
            if (!message.isEmpty()) {
                emit model.fileFailed(path, message);
                return;
            }
            const bool wasModified = model.isModified();
            model.m_filePath = QFileInfo(path).absoluteFilePath();
            model.m_savedText = text;  // what was written, even if typing went on meanwhile
            addRecentFile(model.m_filePath);
            if (wasModified != model.isModified()) {
                emit model.modifiedChanged(model.isModified());
            }
            emit model.fileSaved(model.m_filePath);
        });
    });
}

QStringList ManifestEditorModel::recentFiles() {
    return QSettings().value(kRecentFilesKey).toStringList();
}

void ManifestEditorModel::addRecentFile(const QString& path) {
    QSettings settings;
    QStringList files = settings.value(kRecentFilesKey).toStringList();
    files.removeAll(path);
    files.prepend(path);
    while (files.size() > kMaxRecentFiles) {
        files.removeLast();
    }
    settings.setValue(kRecentFilesKey, files);
}

}  // namespace slipway::gui
