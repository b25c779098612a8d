// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <vector>

#include <QAbstractItemModelTester>
#include <QLocale>
#include <QPersistentModelIndex>
#include <QSignalSpy>
#include <QTest>

#include "gui/models/cluster_list_model.h"

using slipway::gui::ClusterListModel;
using slipway::vm::ClusterState;
using slipway::vm::ClusterStatus;
using namespace std::chrono_literals;

namespace {

// 2025-01-01T00:00:00Z: every age below is measured against this instant.
const std::chrono::system_clock::time_point kNow{std::chrono::seconds(1735689600)};

ClusterStatus cluster(const char* name, ClusterState state = ClusterState::Stopped,
                      std::chrono::seconds age = 5min) {
    ClusterStatus status;
    status.spec.name = name;
    status.spec.createdAt = kNow - age;
    status.state = state;
    return status;
}

QStringList names(const ClusterListModel& model) {
    QStringList result;
    for (int row = 0; row < model.rowCount(); ++row) {
        result << model.index(row, ClusterListModel::NameColumn).data().toString();
    }
    return result;
}

QString text(const ClusterListModel& model, int row, int column) {
    return model.index(row, column).data().toString();
}

}  // namespace

class TestClusterListModel : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QLocale::setDefault(QLocale::c()); }

    void init() {
        m_model = std::make_unique<ClusterListModel>();
        m_model->setClock([] { return kNow; });
        // Checks every signal the model sends against its contents, for every test.
        m_tester = std::make_unique<QAbstractItemModelTester>(
            m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    }

    void cleanup() {
        m_tester.reset();
        m_model.reset();
    }

    void startsEmptyWithEightColumns() {
        QCOMPARE(m_model->rowCount(), 0);
        QCOMPARE(m_model->columnCount(), 8);
        QStringList headers;
        for (int column = 0; column < m_model->columnCount(); ++column) {
            headers << m_model->headerData(column, Qt::Horizontal).toString();
        }
        QCOMPARE(headers, (QStringList{QStringLiteral("Name"), QStringLiteral("State"),
                                       QStringLiteral("Driver"), QStringLiteral("CPUs"),
                                       QStringLiteral("Memory"), QStringLiteral("Nodes"),
                                       QStringLiteral("API address"), QStringLiteral("Age")}));
    }

    void showsEveryColumnOfARow() {
        ClusterStatus running = cluster("demo", ClusterState::Running, 3h + 20min);
        running.spec.driver = slipway::vm::DriverKind::Libvirt;
        running.spec.cpus = 4;
        running.spec.memoryMiB = 6144;
        running.spec.nodes = 3;
        running.apiServerUrl = "http://127.0.0.1:41234";
        m_model->setClusters({running});

        QCOMPARE(m_model->rowCount(), 1);
        QCOMPARE(text(*m_model, 0, ClusterListModel::NameColumn), QStringLiteral("demo"));
        QCOMPARE(text(*m_model, 0, ClusterListModel::StateColumn), QStringLiteral("Running"));
        QCOMPARE(text(*m_model, 0, ClusterListModel::DriverColumn), QStringLiteral("libvirt"));
        QCOMPARE(text(*m_model, 0, ClusterListModel::CpusColumn), QStringLiteral("4"));
        QCOMPARE(text(*m_model, 0, ClusterListModel::MemoryColumn), QStringLiteral("6 GiB"));
        QCOMPARE(text(*m_model, 0, ClusterListModel::NodesColumn), QStringLiteral("3"));
        QCOMPARE(text(*m_model, 0, ClusterListModel::ApiAddressColumn),
                 QStringLiteral("http://127.0.0.1:41234"));
        QCOMPARE(text(*m_model, 0, ClusterListModel::AgeColumn), QStringLiteral("3h20m"));
    }

    void stoppedClusterHasNoAddressAndUnknownAgeIsADash() {
        ClusterStatus stopped = cluster("old");
        stopped.spec.createdAt = {};
        m_model->setClusters({stopped});
        QCOMPARE(text(*m_model, 0, ClusterListModel::ApiAddressColumn), QStringLiteral("\u2014"));
        QCOMPARE(text(*m_model, 0, ClusterListModel::AgeColumn), QStringLiteral("\u2014"));
        QVERIFY(!m_model->index(0, 0).data(ClusterListModel::CreatedAtRole).toDateTime().isValid());
    }

    void rowsAreSortedByNameAndRepeatedNamesCountOnce() {
        m_model->setClusters(
            {cluster("web"), cluster("api"), cluster("db"), cluster("api", ClusterState::Running)});
        QCOMPARE(names(*m_model),
                 (QStringList{QStringLiteral("api"), QStringLiteral("db"), QStringLiteral("web")}));
        // The first "api" of the listing wins.
        QCOMPARE(m_model->clusterAt(0).state, ClusterState::Stopped);
        QCOMPARE(m_model->rowOf(QStringLiteral("web")), 2);
        QCOMPARE(m_model->rowOf(QStringLiteral("nope")), -1);
    }

    void customRolesCarryStateAndName() {
        m_model->setClusters(
            {cluster("a", ClusterState::Paused), cluster("b", ClusterState::Error)});
        for (int column = 0; column < m_model->columnCount(); ++column) {
            const QModelIndex b = m_model->index(1, column);
            QCOMPARE(b.data(ClusterListModel::StateRole).value<ClusterState>(),
                     ClusterState::Error);
            QCOMPARE(b.data(ClusterListModel::NameRole).toString(), QStringLiteral("b"));
        }
        QCOMPARE(m_model->index(0, 0).data(ClusterListModel::StateRole).value<ClusterState>(),
                 ClusterState::Paused);
        QCOMPARE(m_model->index(0, 0).data(ClusterListModel::CreatedAtRole).toDateTime(),
                 QDateTime::fromSecsSinceEpoch(1735689600 - 300));
        QVERIFY(m_model->roleNames().value(ClusterListModel::StateRole) == "state");
    }

    void errorMessageIsTheToolTip() {
        ClusterStatus broken = cluster("broken", ClusterState::Error);
        broken.message = "cluster.json: unknown driver 'qemu'";
        ClusterStatus fine = cluster("fine", ClusterState::Running);
        fine.message = "ignored unless in Error";
        m_model->setClusters({broken, fine});
        QCOMPARE(m_model->index(0, ClusterListModel::StateColumn).data(Qt::ToolTipRole).toString(),
                 QStringLiteral("cluster.json: unknown driver 'qemu'"));
        QCOMPARE(m_model->index(0, ClusterListModel::NameColumn).data(Qt::ToolTipRole).toString(),
                 QStringLiteral("cluster.json: unknown driver 'qemu'"));
        QVERIFY(!m_model->index(1, ClusterListModel::StateColumn).data(Qt::ToolTipRole).isValid());
    }

    void updateInPlaceKeepsIndexesAndSendsNoReset() {
        m_model->setClusters({cluster("a"), cluster("b"), cluster("c")});
        const QPersistentModelIndex b(m_model->index(1, ClusterListModel::StateColumn));
        QSignalSpy resets(m_model.get(), &QAbstractItemModel::modelReset);
        QSignalSpy inserts(m_model.get(), &QAbstractItemModel::rowsInserted);
        QSignalSpy removals(m_model.get(), &QAbstractItemModel::rowsRemoved);
        QSignalSpy changes(m_model.get(), &QAbstractItemModel::dataChanged);

        ClusterStatus started = cluster("b", ClusterState::Running);
        started.apiServerUrl = "http://127.0.0.1:6443";
        m_model->setClusters({cluster("a"), started, cluster("c")});

        QVERIFY(b.isValid());
        QCOMPARE(b.row(), 1);
        QCOMPARE(b.data().toString(), QStringLiteral("Running"));
        QCOMPARE(resets.count(), 0);
        QCOMPARE(inserts.count(), 0);
        QCOMPARE(removals.count(), 0);
        // Row b changed as a whole; then the Age column of every row (time moves on).
        QCOMPARE(changes.count(), 2);
        const auto rowChange = changes.at(0);
        QCOMPARE(rowChange.at(0).toModelIndex(), m_model->index(1, 0));
        QCOMPARE(rowChange.at(1).toModelIndex(),
                 m_model->index(1, ClusterListModel::ColumnCount - 1));
        const auto ageChange = changes.at(1);
        QCOMPARE(ageChange.at(0).toModelIndex(), m_model->index(0, ClusterListModel::AgeColumn));
        QCOMPARE(ageChange.at(1).toModelIndex(), m_model->index(2, ClusterListModel::AgeColumn));
    }

    void unchangedListingOnlyRefreshesAges() {
        m_model->setClusters({cluster("a"), cluster("b")});
        QSignalSpy changes(m_model.get(), &QAbstractItemModel::dataChanged);
        m_model->setClusters({cluster("a"), cluster("b")});
        QCOMPARE(changes.count(), 1);
        QCOMPARE(changes.at(0).at(0).toModelIndex().column(), int(ClusterListModel::AgeColumn));
    }

    void insertionMovesLaterRowsDown() {
        m_model->setClusters({cluster("a"), cluster("c")});
        const QPersistentModelIndex c(m_model->index(1, 0));
        QSignalSpy inserts(m_model.get(), &QAbstractItemModel::rowsInserted);

        m_model->setClusters({cluster("c"), cluster("b"), cluster("a"), cluster("d")});

        QCOMPARE(names(*m_model), (QStringList{QStringLiteral("a"), QStringLiteral("b"),
                                               QStringLiteral("c"), QStringLiteral("d")}));
        QVERIFY(c.isValid());
        QCOMPARE(c.row(), 2);
        QCOMPARE(c.data().toString(), QStringLiteral("c"));
        QCOMPARE(inserts.count(), 2);
        QCOMPARE(inserts.at(0).at(1).toInt(), 1);  // b
        QCOMPARE(inserts.at(1).at(1).toInt(), 3);  // d
    }

    void removalDropsRowsAndInvalidatesTheirIndexes() {
        m_model->setClusters(
            {cluster("a"), cluster("b"), cluster("c"), cluster("d"), cluster("e")});
        const QPersistentModelIndex c(m_model->index(2, 0));
        const QPersistentModelIndex e(m_model->index(4, 0));
        QSignalSpy removals(m_model.get(), &QAbstractItemModel::rowsRemoved);

        m_model->setClusters({cluster("a"), cluster("e")});

        QCOMPARE(names(*m_model), (QStringList{QStringLiteral("a"), QStringLiteral("e")}));
        QVERIFY(!c.isValid());
        QVERIFY(e.isValid());
        QCOMPARE(e.row(), 1);
        // b, c and d go in one contiguous removal.
        QCOMPARE(removals.count(), 1);
        QCOMPARE(removals.at(0).at(1).toInt(), 1);
        QCOMPARE(removals.at(0).at(2).toInt(), 3);

        m_model->setClusters({});
        QCOMPARE(m_model->rowCount(), 0);
        QVERIFY(!e.isValid());
    }

    void removalAndInsertionInOneListing() {
        m_model->setClusters({cluster("a"), cluster("b"), cluster("c")});
        const QPersistentModelIndex c(m_model->index(2, 0));
        m_model->setClusters({cluster("bb"), cluster("c"), cluster("z")});
        QCOMPARE(names(*m_model),
                 (QStringList{QStringLiteral("bb"), QStringLiteral("c"), QStringLiteral("z")}));
        QCOMPARE(c.row(), 1);
        QCOMPARE(c.data().toString(), QStringLiteral("c"));
    }

    void ageAdvancesWithTheClock() {
        m_model->setClusters({cluster("a", ClusterState::Running, 90s)});
        QCOMPARE(text(*m_model, 0, ClusterListModel::AgeColumn), QStringLiteral("90s"));
        QSignalSpy changes(m_model.get(), &QAbstractItemModel::dataChanged);
        m_model->setClock([] { return kNow + 2h; });
        QCOMPARE(changes.count(), 1);
        QCOMPARE(text(*m_model, 0, ClusterListModel::AgeColumn), QStringLiteral("121m"));
    }

    void formatAge_data() {
        QTest::addColumn<qint64>("seconds");
        QTest::addColumn<QString>("expected");
        // The table of k8s.io/apimachinery/pkg/util/duration's HumanDuration tests.
        const auto row = [](qint64 seconds, const char* expected) {
            QTest::addRow("%lld", seconds) << seconds << QString::fromLatin1(expected);
        };
        row(-2, "<invalid>");
        row(-1, "0s");
        row(0, "0s");
        row(5, "5s");
        row(119, "119s");
        row(120, "2m");
        row(3 * 60 + 10, "3m10s");
        row(9 * 60 + 59, "9m59s");
        row(10 * 60, "10m");
        row(179 * 60 + 59, "179m");
        row(3 * 3600, "3h");
        row(2 * 3600 + 30 * 60 + 3600, "3h30m");
        row(7 * 3600 + 59 * 60, "7h59m");
        row(8 * 3600, "8h");
        row(47 * 3600 + 59 * 60, "47h");
        row(48 * 3600, "2d");
        row(4 * 86400 + 5 * 3600, "4d5h");
        row(7 * 86400 + 23 * 3600, "7d23h");
        row(8 * 86400, "8d");
        row(729 * 86400, "729d");
        row(730 * 86400, "2y");
        row(2 * 365 * 86400 + 100 * 86400, "2y100d");
        row(8 * 365 * 86400, "8y");
        row(12 * 365 * 86400 + 40 * 86400, "12y");
    }

    void formatAge() {
        QFETCH(qint64, seconds);
        QFETCH(QString, expected);
        QCOMPARE(ClusterListModel::formatAge(std::chrono::seconds(seconds)), expected);
    }

    void formatMemory() {
        QCOMPARE(ClusterListModel::formatMemory(512), QStringLiteral("512 MiB"));
        QCOMPARE(ClusterListModel::formatMemory(2048), QStringLiteral("2 GiB"));
        QCOMPARE(ClusterListModel::formatMemory(1536), QStringLiteral("1.5 GiB"));
    }

private:
    std::unique_ptr<ClusterListModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

QTEST_GUILESS_MAIN(TestClusterListModel)
#include "tst_cluster_list_model.moc"
