// SPDX-License-Identifier: Apache-2.0
// Keyboard navigation and accessible names: on every page of the main window, Tab reaches every
// control (or the control has a shortcut or mnemonic of its own), and each page and each of its
// views has a name a screen reader can announce.
#include <filesystem>

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QGraphicsView>
#include <QHeaderView>
#include <QLineEdit>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSet>
#include <QSignalSpy>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextEdit>
#include <QToolBar>
#include <QToolButton>
#include <Qsci/qsciscintilla.h>

#include "gui/app/editor_tabs.h"
#include "gui/app/main_window.h"
#include "gui/services/cluster_connection.h"
#include "vm/cluster.h"

using slipway::gui::MainWindow;

namespace {

bool hasMnemonic(const QString& text) {
    for (qsizetype i = 0; i + 1 < text.size(); ++i) {
        if (text.at(i) == u'&' && text.at(i + 1) != u'&') {
            return true;
        }
    }
    return false;
}

/// The widgets a user acts on, as opposed to labels, frames and the parts of compound widgets
/// (a combo box's popup, a line edit's clear button, a tab bar's scroll arrows, scroll bars).
bool isActionable(const QWidget* w) {
    if (qobject_cast<const QScrollBar*>(w) || qobject_cast<const QHeaderView*>(w)) {
        return false;
    }
    for (const QObject* p = w->parent(); p != nullptr; p = p->parent()) {
        if (qobject_cast<const QLineEdit*>(p) || qobject_cast<const QTabBar*>(p) ||
            qobject_cast<const QComboBox*>(p) || qobject_cast<const QAbstractSpinBox*>(p)) {
            return false;
        }
    }
    if (const auto* button = qobject_cast<const QAbstractButton*>(w)) {
        return !button->text().isEmpty() || !button->icon().isNull();
    }
    return qobject_cast<const QComboBox*>(w) || qobject_cast<const QLineEdit*>(w) ||
           qobject_cast<const QAbstractItemView*>(w) || qobject_cast<const QAbstractSpinBox*>(w) ||
           qobject_cast<const QAbstractSlider*>(w) || qobject_cast<const QPlainTextEdit*>(w) ||
           qobject_cast<const QTextEdit*>(w) || qobject_cast<const QsciScintilla*>(w) ||
           qobject_cast<const QGraphicsView*>(w) || qobject_cast<const QTabBar*>(w);
}

/// The views whose content a screen reader must be able to name.
bool isContentView(const QWidget* w) {
    for (const QObject* p = w->parent(); p != nullptr; p = p->parent()) {
        if (qobject_cast<const QComboBox*>(p)) {
            return false;  // its popup list
        }
    }
    return !qobject_cast<const QHeaderView*>(w) &&
           (qobject_cast<const QAbstractItemView*>(w) || qobject_cast<const QPlainTextEdit*>(w) ||
            qobject_cast<const QsciScintilla*>(w) || qobject_cast<const QGraphicsView*>(w));
}

/// Reached without Tab: a button with a mnemonic, or a tool button whose action has a shortcut.
bool hasOwnKey(const QWidget* w) {
    if (const auto* button = qobject_cast<const QAbstractButton*>(w)) {
        if (hasMnemonic(button->text()) || !button->shortcut().isEmpty()) {
            return true;
        }
        if (const auto* tool = qobject_cast<const QToolButton*>(w);
            tool != nullptr && tool->defaultAction() != nullptr &&
            !tool->defaultAction()->shortcut().isEmpty()) {
            return true;
        }
    }
    return false;
}

/// A code editor that takes Tab for indentation; the user leaves it with the mouse or another
/// page's shortcut, as in Qt Creator.
bool takesTab(const QWidget* w) {
    const auto* editor = qobject_cast<const QsciScintilla*>(w);
    return editor != nullptr && !editor->isReadOnly();
}

QString describe(const QWidget* w) {
    QString text;
    if (const auto* button = qobject_cast<const QAbstractButton*>(w)) {
        text = button->text();
    }
    return QStringLiteral("%1 '%2' '%3' '%4'")
        .arg(QString::fromLatin1(w->metaObject()->className()), w->objectName(),
             w->accessibleName(), text);
}

}  // namespace

class TestKeyboardAccess : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_root;
    std::unique_ptr<MainWindow> m_window;

private slots:
    void initTestCase() {
        // One cluster on disk, so that the cluster manager shows its table.
        const std::filesystem::path dir =
            std::filesystem::path(m_root.path().toStdString()) / "alpha";
        std::filesystem::create_directories(dir);
        slipway::vm::ClusterSpec spec;
        spec.name = "alpha";
        QVERIFY(slipway::vm::saveClusterSpec(dir / "cluster.json", spec).ok());
        slipway::vm::ClusterManagerOptions options;
        options.clustersRoot = m_root.path().toStdString();
        m_window = std::make_unique<MainWindow>(std::move(options));
        QSignalSpy listed(m_window.get(), &MainWindow::clustersRefreshed);
        // No cluster: each page's connection fails, its widgets stay.
        const slipway::gui::ConnectionTarget target{
            m_root.filePath(QStringLiteral("missing-kubeconfig")), {}, QStringLiteral("nowhere")};
        m_window->openTopology(target);
        m_window->openRollouts(target);
        m_window->openEvents(target);
        m_window->openLogs(target);
        m_window->editorTabs()->open();
        m_window->resize(1400, 900);
        m_window->show();
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        QVERIFY(listed.count() > 0 || listed.wait(10000));
    }

    void cleanupTestCase() { m_window.reset(); }

    void everyPageHasAnAccessibleName_data() {
        QTest::addColumn<int>("tab");
        for (int i = 0; i < m_window->tabs()->count(); ++i) {
            QTest::newRow(qPrintable(m_window->tabs()->tabText(i))) << i;
        }
    }

    void everyPageHasAnAccessibleName() {
        QFETCH(int, tab);
        QWidget* page = m_window->tabs()->widget(tab);
        QVERIFY2(!page->accessibleName().isEmpty(), qPrintable(describe(page)));
        QVERIFY2(!page->accessibleDescription().isEmpty(), qPrintable(describe(page)));
        if (tab == 0) {
            return;  // the cluster manager's inside is the wizard helper's
        }
        for (const QWidget* w : page->findChildren<QWidget*>()) {
            if (isContentView(w)) {
                QVERIFY2(!w->accessibleName().isEmpty(), qPrintable(describe(w)));
            }
        }
    }

    void tabReachesEveryControl_data() { everyPageHasAnAccessibleName_data(); }

    // Presses Tab from the page's first control round the whole chain and checks that each
    // visible, enabled control got the focus on the way, or has a key of its own.
    void tabReachesEveryControl() {
        QFETCH(int, tab);
        QTabWidget* tabs = m_window->tabs();
        tabs->setCurrentIndex(tab);
        QWidget* page = tabs->widget(tab);
        QTRY_VERIFY(page->isVisible());

        QList<QWidget*> controls;
        for (QWidget* w : page->findChildren<QWidget*>()) {
            if (w->isVisible() && w->isEnabled() && isActionable(w)) {
                controls << w;
            }
        }
        QVERIFY(!controls.isEmpty());

        // Focus goes first to the tab bar, the way a user arrives.
        tabs->tabBar()->setFocus(Qt::TabFocusReason);
        QTRY_COMPARE(QApplication::focusWidget(), tabs->tabBar());
        QSet<QWidget*> reached;
        QSet<QWidget*> trapped;
        for (int step = 0; step < 4 * static_cast<int>(controls.size()) + 10; ++step) {
            QWidget* before = QApplication::focusWidget();
            QVERIFY(before != nullptr);
            QTest::keyClick(before, Qt::Key_Tab);
            QWidget* after = QApplication::focusWidget();
            if (after == before) {
                QVERIFY2(takesTab(before),
                         qPrintable(QStringLiteral("Tab stuck in ") + describe(before)));
                trapped.insert(before);
                // Skip it as the mouse would: on to the next widget that takes Tab focus.
                QWidget* next = before->nextInFocusChain();
                while (next != before && !(next->isVisible() && next->isEnabled() &&
                                           (next->focusPolicy() & Qt::TabFocus) != 0 &&
                                           !before->isAncestorOf(next))) {
                    next = next->nextInFocusChain();
                }
                next->setFocus(Qt::TabFocusReason);
                after = QApplication::focusWidget();
            }
            if (after != nullptr) {
                reached.insert(after);
                // The focus proxy (a combo's line edit) stands for its owner.
                for (QWidget* w = after; w != nullptr; w = w->parentWidget()) {
                    reached.insert(w);
                }
            }
        }
        QStringList missed;
        for (QWidget* w : std::as_const(controls)) {
            if (!reached.contains(w) && !hasOwnKey(w)) {
                missed << describe(w);
            }
        }
        QVERIFY2(missed.isEmpty(), qPrintable(missed.join(u'\n')));
    }

    // The manifest form: Tab goes from field to field while editing, and past the last field
    // it leaves the form instead of wrapping round to the first.
    void tabLeavesTheManifestFormAfterItsLastField() {
        QTabWidget* tabs = m_window->tabs();
        tabs->setCurrentIndex(tabs->count() - 1);
        auto* form = tabs->currentWidget()->findChild<QTableView*>(QStringLiteral("manifestForm"));
        QVERIFY(form != nullptr);
        QTRY_VERIFY(form->model()->rowCount() > 1);
        const int last = form->model()->rowCount() - 1;
        form->setFocus(Qt::TabFocusReason);
        form->setCurrentIndex(form->model()->index(last - 1, 1));
        QTRY_VERIFY(QApplication::focusWidget() != form &&
                    form->isAncestorOf(QApplication::focusWidget()));
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        QTRY_COMPARE(form->currentIndex().row(), last);  // the next field
        QTRY_VERIFY(form->isAncestorOf(QApplication::focusWidget()));
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        QTRY_VERIFY(QApplication::focusWidget() != nullptr && QApplication::focusWidget() != form &&
                    !form->isAncestorOf(QApplication::focusWidget()));
        QCOMPARE(form->currentIndex().row(), last);  // not wrapped round
    }

    void menusHaveMnemonicsAndTheMainCommandsShortcuts() {
        QStringList missing;
        for (const QAction* menu : m_window->menuBar()->actions()) {
            if (!hasMnemonic(menu->text())) {
                missing << menu->text();
            }
            for (const QAction* action : menu->menu()->actions()) {
                if (!action->isSeparator() && !hasMnemonic(action->text())) {
                    missing << action->text();
                }
            }
        }
        QVERIFY2(missing.isEmpty(), qPrintable(missing.join(u'|')));
    }
};

QTEST_MAIN(TestKeyboardAccess)
#include "tst_keyboard_access.moc"
