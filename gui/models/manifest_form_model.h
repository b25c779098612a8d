// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <vector>

#include <QAbstractTableModel>
#include <QStringList>
#include <nlohmann/json.hpp>

namespace slipway::gui {

class ManifestEditorModel;

/// One field a form shows for a kind: a label and where the value lives in the object.
struct ManifestFormField {
    enum class Type {
        Text,         ///< a string
        Integer,      ///< a whole number (replicas, ports)
        IntOrString,  ///< a number when it reads as one, else a string (targetPort)
        Choice,       ///< one of `choices`
        Base64,       ///< a Secret's data value: shown and edited decoded, stored base64
    };
    QString label;
    std::string pointer;  ///< "/spec/replicas"
    Type type = Type::Text;
    QStringList choices;
};

/// The form of the current document of a ManifestEditorModel, one row per field: column 0 the
/// label, column 1 the value (editable). Fields are those that matter most for each kind the
/// editor knows (Deployment, Service, ConfigMap, Secret, Job, Ingress, PersistentVolumeClaim):
/// name and namespace, then e.g. a Deployment's replicas, strategy, selector, image and port;
/// a ConfigMap or Secret gets a row per data key. Other kinds get name and namespace.
///
/// setData() edits the text through ManifestEditorModel::setValue (an empty value removes the
/// field); values follow the text whenever the document changes.
class ManifestFormModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Role {
        FieldTypeRole = Qt::UserRole + 1,  ///< int(ManifestFormField::Type)
        ChoicesRole,                       ///< QStringList
        PointerRole,                       ///< QString, the JSON pointer
    };

    explicit ManifestFormModel(ManifestEditorModel* editor);

    /// The fields shown now.
    const std::vector<ManifestFormField>& fields() const { return m_fields; }
    /// The row of the field at `pointer`, or -1.
    int rowOf(const std::string& pointer) const;
    /// The kind of the document shown ("Deployment"), empty without one.
    QString kind() const { return m_kind; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    /// The fields of `object` (its kind, and its data keys for ConfigMaps and Secrets).
    static std::vector<ManifestFormField> fieldsFor(const nlohmann::json& object);

private:
    void refresh();

    ManifestEditorModel* m_editor;
    std::vector<ManifestFormField> m_fields;
    QString m_kind;
};

}  // namespace slipway::gui
