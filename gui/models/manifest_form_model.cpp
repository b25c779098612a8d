// SPDX-License-Identifier: Apache-2.0
#include "gui/models/manifest_form_model.h"

#include <algorithm>
#include <cstdint>
#include <limits>

#include <QByteArray>

#include "gui/models/manifest_editor_model.h"

namespace slipway::gui {

using nlohmann::json;
using Type = ManifestFormField::Type;

namespace {

std::string escapeToken(const std::string& token) {
    std::string out;
    for (char c : token) {
        out += c == '~' ? std::string("~0") : c == '/' ? std::string("~1") : std::string(1, c);
    }
    return out;
}

const json* valueAt(const json& object, const std::string& pointer) {
    try {
        const json::json_pointer at(pointer);
        return object.contains(at) ? &object.at(at) : nullptr;
    } catch (const json::exception&) {
        return nullptr;
    }
}

}  // namespace

ManifestFormModel::ManifestFormModel(ManifestEditorModel* editor)
    : QAbstractTableModel(editor), m_editor(editor) {
    connect(editor, &ManifestEditorModel::documentChanged, this, &ManifestFormModel::refresh);
    connect(editor, &ManifestEditorModel::currentPartChanged, this, &ManifestFormModel::refresh);
}

std::vector<ManifestFormField> ManifestFormModel::fieldsFor(const json& object) {
    std::vector<ManifestFormField> fields;
    if (!object.is_object()) {
        return fields;
    }
    auto add = [&](const QString& label, std::string pointer, Type type = Type::Text,
                   QStringList choices = {}) {
        fields.push_back(ManifestFormField{label, std::move(pointer), type, std::move(choices)});
    };
    add(tr("Name"), "/metadata/name");
    add(tr("Namespace"), "/metadata/namespace");
    const std::string kind = object.value("kind", std::string());
    const std::string container = "/spec/template/spec/containers/0";
    if (kind == "Deployment") {
        add(tr("Replicas"), "/spec/replicas", Type::Integer);
        add(tr("Strategy"), "/spec/strategy/type", Type::Choice,
            {QStringLiteral("RollingUpdate"), QStringLiteral("Recreate")});
        add(tr("Selector app"), "/spec/selector/matchLabels/app");
        add(tr("Pod label app"), "/spec/template/metadata/labels/app");
        add(tr("Container"), container + "/name");
        add(tr("Image"), container + "/image");
        add(tr("Container port"), container + "/ports/0/containerPort", Type::Integer);
    } else if (kind == "Service") {
        add(tr("Type"), "/spec/type", Type::Choice,
            {QStringLiteral("ClusterIP"), QStringLiteral("NodePort"),
             QStringLiteral("LoadBalancer"), QStringLiteral("ExternalName")});
        add(tr("Selector app"), "/spec/selector/app");
        add(tr("Port"), "/spec/ports/0/port", Type::Integer);
        add(tr("Target port"), "/spec/ports/0/targetPort", Type::IntOrString);
        add(tr("Node port"), "/spec/ports/0/nodePort", Type::Integer);
    } else if (kind == "ConfigMap" || kind == "Secret") {
        if (kind == "Secret") {
            add(tr("Type"), "/type");
        }
        for (const char* map : {"data", "stringData"}) {
            auto it = object.find(map);
            if (it == object.end() || !it->is_object() || (kind == "ConfigMap" && map[0] == 's')) {
                continue;
            }
            const bool encoded = kind == "Secret" && map[0] == 'd';
            for (const auto& [key, value] : it->items()) {
                add(QStringLiteral("%1: %2").arg(QLatin1String(map), QString::fromStdString(key)),
                    "/" + std::string(map) + "/" + escapeToken(key),
                    encoded ? Type::Base64 : Type::Text);
            }
        }
    } else if (kind == "Job") {
        add(tr("Completions"), "/spec/completions", Type::Integer);
        add(tr("Parallelism"), "/spec/parallelism", Type::Integer);
        add(tr("Backoff limit"), "/spec/backoffLimit", Type::Integer);
        add(tr("Restart policy"), "/spec/template/spec/restartPolicy", Type::Choice,
            {QStringLiteral("Never"), QStringLiteral("OnFailure")});
        add(tr("Container"), container + "/name");
        add(tr("Image"), container + "/image");
    } else if (kind == "Ingress") {
        const std::string path = "/spec/rules/0/http/paths/0";
        add(tr("Ingress class"), "/spec/ingressClassName");
        add(tr("Host"), "/spec/rules/0/host");
        add(tr("Path"), path + "/path");
        add(tr("Path type"), path + "/pathType", Type::Choice,
            {QStringLiteral("Prefix"), QStringLiteral("Exact"),
             QStringLiteral("ImplementationSpecific")});
        add(tr("Service"), path + "/backend/service/name");
        add(tr("Service port"), path + "/backend/service/port/number", Type::Integer);
    } else if (kind == "PersistentVolumeClaim") {
        add(tr("Access mode"), "/spec/accessModes/0", Type::Choice,
            {QStringLiteral("ReadWriteOnce"), QStringLiteral("ReadOnlyMany"),
             QStringLiteral("ReadWriteMany"), QStringLiteral("ReadWriteOncePod")});
        add(tr("Storage class"), "/spec/storageClassName");
        add(tr("Size"), "/spec/resources/requests/storage");
    }
    return fields;
}

void ManifestFormModel::refresh() {
    const auto& parts = m_editor->document().parts();
    const int part = m_editor->currentPart();
    json object;
    if (part >= 0 && part < static_cast<int>(parts.size())) {
        object = parts[static_cast<std::size_t>(part)].object;
    }
    auto next = fieldsFor(object);
    const QString kind = object.is_object()
                             ? QString::fromStdString(object.value("kind", std::string()))
                             : QString();
    const bool sameRows =
        kind == m_kind && next.size() == m_fields.size() &&
        std::equal(next.begin(), next.end(), m_fields.begin(),
                   [](const auto& a, const auto& b) { return a.pointer == b.pointer; });
    if (!sameRows) {
        beginResetModel();
        m_fields = std::move(next);
        m_kind = kind;
        endResetModel();
    } else if (!m_fields.empty()) {
        emit dataChanged(index(0, 1), index(rowCount() - 1, 1));
    }
}

int ManifestFormModel::rowOf(const std::string& pointer) const {
    for (std::size_t i = 0; i < m_fields.size(); ++i) {
        if (m_fields[i].pointer == pointer) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

int ManifestFormModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_fields.size());
}

int ManifestFormModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : 2;
}

QVariant ManifestFormModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) {
        return {};
    }
    const ManifestFormField& field = m_fields[static_cast<std::size_t>(index.row())];
    switch (role) {
        case FieldTypeRole:
            return static_cast<int>(field.type);
        case ChoicesRole:
            return field.choices;
        case PointerRole:
            return QString::fromStdString(field.pointer);
        case Qt::ToolTipRole:
            return QString::fromStdString(field.pointer);
        case Qt::DisplayRole:
        case Qt::EditRole:
            break;
        default:
            return {};
    }
    if (index.column() == 0) {
        return field.label;
    }
    const auto& parts = m_editor->document().parts();
    const int part = m_editor->currentPart();
    if (part < 0 || part >= static_cast<int>(parts.size())) {
        return {};
    }
    const json* value = valueAt(parts[static_cast<std::size_t>(part)].object, field.pointer);
    if (value == nullptr || value->is_null()) {
        return {};
    }
    if (value->is_number_integer() && field.type == Type::Integer &&
        value->get<std::int64_t>() >= std::numeric_limits<int>::min() &&
        value->get<std::int64_t>() <= std::numeric_limits<int>::max()) {
        return value->get<int>();
    }
    if (value->is_string() && field.type == Type::Base64) {
        const auto decoded =
            QByteArray::fromBase64Encoding(QByteArray::fromStdString(value->get<std::string>()),
                                           QByteArray::AbortOnBase64DecodingErrors);
        if (decoded) {
            return QString::fromUtf8(*decoded);
        }
    }
    if (value->is_string()) {
        return QString::fromStdString(value->get<std::string>());
    }
    return QString::fromStdString(value->dump(-1, ' ', false, json::error_handler_t::replace));
}

bool ManifestFormModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (!index.isValid() || index.column() != 1 || role != Qt::EditRole ||
        index.row() >= rowCount()) {
        return false;
    }
    const ManifestFormField& field = m_fields[static_cast<std::size_t>(index.row())];
    const std::string pointer = field.pointer;  // the rows may be rebuilt by the edit
    const int part = m_editor->currentPart();
    const QString text = value.toString().trimmed();
    if (text.isEmpty()) {
        return m_editor->removeValue(part, pointer);
    }
    json newValue = field.type == Type::Base64 ? value.toString().toUtf8().toBase64().toStdString()
                                               : text.toStdString();
    if (field.type == Type::Integer || field.type == Type::IntOrString) {
        bool ok = false;
        const qlonglong number = text.toLongLong(&ok);
        if (ok) {
            newValue = static_cast<std::int64_t>(number);
        } else if (field.type == Type::Integer) {
            return false;
        }
    }
    return m_editor->setValue(part, pointer, newValue);
}

Qt::ItemFlags ManifestFormModel::flags(const QModelIndex& index) const {
    Qt::ItemFlags flags = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == 1) {
        flags |= Qt::ItemIsEditable;
    }
    return flags;
}

QVariant ManifestFormModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    return section == 0 ? tr("Field") : tr("Value");
}

}  // namespace slipway::gui
