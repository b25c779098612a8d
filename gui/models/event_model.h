// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <vector>

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QSortFilterProxyModel>
#include <QString>

#include "engine/client/indexer.h"

namespace slipway::gui {

/// One change to a core/v1 Event as an informer delivers it.
struct EventChange {
    bool deleted = false;
    client::ObjectPtr object;
};
using EventChanges = std::vector<EventChange>;

/// An Event as Studio shows it.
struct ClusterEvent {
    QString uid;
    QString nameSpace;
    QString type;  ///< "Normal" or "Warning"
    QString reason;
    QString message;
    QString objectKind;
    QString objectName;
    QString source;  ///< reportingController or source.component
    int count = 1;
    QDateTime lastSeen;
};

/// The cluster's Events (all namespaces), one row each, with a plain-language explanation of
/// the common reasons. Rows are in arrival order; EventFilterModel sorts and filters them. No
/// widgets.
class EventModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column {
        LastSeenColumn,
        TypeColumn,
        ReasonColumn,
        ObjectColumn,
        NamespaceColumn,
        MessageColumn,
        CountColumn
    };
    static constexpr int kColumnCount = 7;
    enum Role {
        /// QDateTime::toMSecsSinceEpoch of the last occurrence, for sorting by time.
        TimeRole = Qt::UserRole + 1,
        ExplanationRole,
        TypeRole,
        KindRole,
        NamespaceRole,
        /// Reason, message, object name and kind together, for text filtering.
        SearchTextRole,
    };
    /// Oldest rows go beyond this many.
    static constexpr int kMaxRows = 5000;

    explicit EventModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    const ClusterEvent& rowAt(int row) const { return m_rows.at(row); }
    /// The namespaces and involved-object kinds seen so far, sorted (for filter choices).
    QStringList namespaces() const;
    QStringList kinds() const;

    /// What `reason` means, in plain words, with what to do about it; empty for reasons it does
    /// not know. `message` refines some (FailedScheduling names the shortage).
    static QString explain(const QString& reason, const QString& message = {});
    /// An Event object as a row.
    static ClusterEvent rowOf(const nlohmann::json& event);

    /// For tests and screenshots: now, as the "last seen" column counts from it.
    void setNow(const QDateTime& now) { m_now = now; }

public slots:
    void applyChanges(const slipway::gui::EventChanges& changes);
    void clear();

signals:
    /// New namespaces or kinds appeared.
    void choicesChanged();

private:
    QString age(const QDateTime& time) const;

    QList<ClusterEvent> m_rows;
    QHash<QString, int> m_rowOfUid;
    QDateTime m_now;
};

/// Filters an EventModel by namespace, involved-object kind, type and text (each empty for
/// all), newest first.
class EventFilterModel : public QSortFilterProxyModel {
    Q_OBJECT

public:
    explicit EventFilterModel(QObject* parent = nullptr);

    void setNamespaceFilter(const QString& nameSpace);
    void setKindFilter(const QString& kind);
    /// "Normal", "Warning" or empty.
    void setTypeFilter(const QString& type);
    /// Case-insensitive; matches reason, message, object kind and name.
    void setTextFilter(const QString& text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    QString m_nameSpace;
    QString m_kind;
    QString m_type;
    QString m_text;
};

}  // namespace slipway::gui

Q_DECLARE_METATYPE(slipway::gui::EventChanges)
