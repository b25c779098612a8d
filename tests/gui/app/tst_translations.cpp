// SPDX-License-Identifier: Apache-2.0
// The shipped translations: every message of translations/slipway_*.ts finished, the compiled
// .qm files turning the main window's menus and the pages' buttons into each language, and the
// keyboard mnemonics (&File, &Pause...) still unique within each window in every language.
#include <QAbstractButton>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSet>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>
#include <QXmlStreamReader>

#include "gui/app/editor_tabs.h"
#include "gui/app/main_window.h"
#include "gui/services/cluster_connection.h"

using slipway::gui::MainWindow;

namespace {

const QStringList kLanguages = {QStringLiteral("de"), QStringLiteral("fr"), QStringLiteral("es"),
                                QStringLiteral("ja")};

struct TsMessage {
    QString context;
    QString source;
    QStringList translations;  // one, or one per plural form
    QString type;              // "unfinished", "vanished", "obsolete" or empty
};

/// The messages of one .ts file, read as lupdate writes it.
QList<TsMessage> readTs(const QString& path, QString* error) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.errorString();
        return {};
    }
    QList<TsMessage> messages;
    QXmlStreamReader xml(&file);
    QString context;
    TsMessage current;
    bool inMessage = false;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            const auto name = xml.name();
            if (name == QLatin1String("name") && !inMessage) {
                context = xml.readElementText();
            } else if (name == QLatin1String("message")) {
                current = TsMessage{context, {}, {}, {}};
                inMessage = true;
            } else if (name == QLatin1String("source") && inMessage) {
                current.source = xml.readElementText();
            } else if (name == QLatin1String("translation") && inMessage) {
                current.type = xml.attributes().value(QLatin1String("type")).toString();
                // Either text, or <numerusform> children.
                QString text;
                while (!(xml.isEndElement() && xml.name() == QLatin1String("translation")) &&
                       !xml.atEnd()) {
                    xml.readNext();
                    if (xml.isCharacters()) {
                        text += xml.text();
                    } else if (xml.isStartElement() && xml.name() == QLatin1String("numerusform")) {
                        current.translations << xml.readElementText();
                    }
                }
                if (current.translations.isEmpty()) {
                    current.translations << text;
                }
            }
        } else if (xml.isEndElement() && xml.name() == QLatin1String("message")) {
            messages << current;
            inMessage = false;
        }
    }
    if (xml.hasError()) {
        *error = xml.errorString();
    }
    return messages;
}

QSet<QString> placeholders(const QString& text) {
    static const QRegularExpression marker(QStringLiteral("%([1-9]|n)"));
    QSet<QString> found;
    for (auto it = marker.globalMatch(text); it.hasNext();) {
        found.insert(it.next().captured(0));
    }
    return found;
}

/// The letter after a single '&' ("&File" -> 'f', "ファイル(&F)" -> 'f'), or 0.
QChar mnemonic(const QString& text) {
    for (qsizetype i = 0; i + 1 < text.size(); ++i) {
        if (text.at(i) == u'&') {
            if (text.at(i + 1) == u'&') {
                ++i;
                continue;
            }
            return text.at(i + 1).toLower();
        }
    }
    return {};
}

/// A main window with one tab of each kind; the pages' connections fail (no cluster), which
/// leaves their widgets in place.
struct Window {
    QTemporaryDir root;
    std::unique_ptr<MainWindow> window;

    Window() {
        slipway::vm::ClusterManagerOptions options;
        options.clustersRoot = root.path().toStdString();
        window = std::make_unique<MainWindow>(std::move(options));
        const slipway::gui::ConnectionTarget target{
            root.filePath(QStringLiteral("missing-kubeconfig")), {}, QStringLiteral("nowhere")};
        window->openTopology(target);
        window->openRollouts(target);
        window->openEvents(target);
        window->openLogs(target);
        window->editorTabs()->open();
    }
};

/// The translator of `language`, compiled from translations/ by the build.
std::unique_ptr<QTranslator> translatorFor(const QString& language) {
    auto translator = std::make_unique<QTranslator>();
    const QString file = QDir(QStringLiteral(SLIPWAY_QM_DIR))
                             .filePath(QStringLiteral("slipway_%1.qm").arg(language));
    if (!translator->load(file)) {
        return nullptr;
    }
    return translator;
}

}  // namespace

class TestTranslations : public QObject {
    Q_OBJECT

private slots:
    void everyMessageIsTranslated_data() {
        QTest::addColumn<QString>("language");
        for (const QString& language : kLanguages) {
            QTest::newRow(qPrintable(language)) << language;
        }
    }

    void everyMessageIsTranslated() {
        QFETCH(QString, language);
        QString error;
        const auto messages = readTs(QDir(QStringLiteral(SLIPWAY_TS_DIR))
                                         .filePath(QStringLiteral("slipway_%1.ts").arg(language)),
                                     &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        // As many as the German file: lupdate writes the same messages to all four.
        QString germanError;
        const auto german =
            readTs(QDir(QStringLiteral(SLIPWAY_TS_DIR)).filePath(QStringLiteral("slipway_de.ts")),
                   &germanError);
        QCOMPARE(messages.size(), german.size());
        QVERIFY2(messages.size() > 300, qPrintable(QString::number(messages.size())));
        QStringList problems;
        for (const TsMessage& m : messages) {
            const QString where = m.context + QStringLiteral(": ") + m.source;
            if (!m.type.isEmpty()) {
                problems << QStringLiteral("[%1] %2").arg(m.type, where);
                continue;
            }
            const QSet<QString> wanted = placeholders(m.source);
            for (const QString& text : m.translations) {
                if (text.trimmed().isEmpty()) {
                    problems << QStringLiteral("[empty] ") + where;
                    break;
                }
                // A plural form may leave %n out ("one pod"), nothing else.
                QSet<QString> have = placeholders(text);
                QSet<QString> need = wanted;
                if (m.translations.size() > 1 || wanted.contains(QStringLiteral("%n"))) {
                    need.remove(QStringLiteral("%n"));
                    have.remove(QStringLiteral("%n"));
                }
                if (have != need) {
                    problems << QStringLiteral("[placeholders] %1 -> %2").arg(where, text);
                    break;
                }
            }
            // An accelerator in the source needs one in the translation.
            if (!mnemonic(m.source).isNull() && mnemonic(m.translations.value(0)).isNull()) {
                problems << QStringLiteral("[no &] ") + where;
            }
        }
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    }

    void menusAndButtonsComeOutTranslated_data() {
        QTest::addColumn<QString>("language");
        QTest::addColumn<QStringList>("menus");
        QTest::addColumn<QString>("pauseButton");
        QTest::addColumn<QString>("topologyTab");
        QTest::newRow("de") << QStringLiteral("de")
                            << QStringList{QStringLiteral("&Datei"), QStringLiteral("&Cluster"),
                                           QStringLiteral("&Hilfe")}
                            << QStringLiteral("&Pausieren") << QStringLiteral("Topologie: nowhere");
        QTest::newRow("fr") << QStringLiteral("fr")
                            << QStringList{QStringLiteral("&Fichier"), QStringLiteral("&Cluster"),
                                           QStringLiteral("&Aide")}
                            << QStringLiteral("&Suspendre")
                            << QStringLiteral("Topologie : nowhere");
        QTest::newRow("es") << QStringLiteral("es")
                            << QStringList{QStringLiteral("&Archivo"),
                                           QStringLiteral("&Cl\u00faster"),
                                           QStringLiteral("A&yuda")}
                            << QStringLiteral("&Pausar")
                            << QStringLiteral("Topolog\u00eda: nowhere");
        QTest::newRow("ja") << QStringLiteral("ja")
                            << QStringList{QStringLiteral("\u30d5\u30a1\u30a4\u30eb(&F)"),
                                           QStringLiteral("\u30af\u30e9\u30b9\u30bf\u30fc(&C)"),
                                           QStringLiteral("\u30d8\u30eb\u30d7(&H)")}
                            << QStringLiteral("\u4e00\u6642\u505c\u6b62(&P)")
                            << QStringLiteral("\u30c8\u30dd\u30ed\u30b8\u30fc: nowhere");
    }

    void menusAndButtonsComeOutTranslated() {
        QFETCH(QString, language);
        QFETCH(QStringList, menus);
        QFETCH(QString, pauseButton);
        QFETCH(QString, topologyTab);
        const auto translator = translatorFor(language);
        QVERIFY2(translator != nullptr, qPrintable(language));
        QVERIFY(QCoreApplication::installTranslator(translator.get()));
        {
            Window w;
            QStringList titles;
            for (const QAction* menu : w.window->menuBar()->actions()) {
                titles << menu->text();
            }
            QCOMPARE(titles, menus);
            QCOMPARE(w.window->tabs()->tabText(1), topologyTab);
            QStringList buttons;
            for (const QPushButton* button : w.window->findChildren<QPushButton*>()) {
                buttons << button->text();
            }
            QVERIFY2(buttons.contains(pauseButton), qPrintable(buttons.join(u'|')));
            // Not one English menu entry is left.
            for (const QAction* menu : w.window->menuBar()->actions()) {
                for (const QAction* action : menu->menu()->actions()) {
                    if (action->isSeparator()) {
                        continue;
                    }
                    const QString english = action->text();
                    QVERIFY2(!english.startsWith(QLatin1String("Open ")) &&
                                 !english.startsWith(QLatin1String("&Open")) &&
                                 !english.startsWith(QLatin1String("&New")),
                             qPrintable(english));
                }
            }
        }
        QVERIFY(QCoreApplication::removeTranslator(translator.get()));
    }

    void mnemonicsAreUniqueInEveryLanguage_data() {
        QTest::addColumn<QString>("language");
        QTest::newRow("en") << QString();
        for (const QString& language : kLanguages) {
            QTest::newRow(qPrintable(language)) << language;
        }
    }

    // Within a window, Alt+letter must reach one thing: the menu bar's titles and the current
    // page's buttons and labelled fields share the letters.
    void mnemonicsAreUniqueInEveryLanguage() {
        QFETCH(QString, language);
        std::unique_ptr<QTranslator> translator;
        if (!language.isEmpty()) {
            translator = translatorFor(language);
            QVERIFY(translator != nullptr);
            QCoreApplication::installTranslator(translator.get());
        }
        Window w;
        QStringList bar;
        for (const QAction* menu : w.window->menuBar()->actions()) {
            bar << menu->text();
            // ... and within each menu, its entries.
            QStringList entries;
            for (const QAction* action : menu->menu()->actions()) {
                if (!action->isSeparator()) {
                    entries << action->text();
                }
            }
            QSet<QChar> seen;
            for (const QString& entry : entries) {
                const QChar letter = mnemonic(entry);
                QVERIFY2(!letter.isNull(), qPrintable(entry));
                QVERIFY2(!seen.contains(letter), qPrintable(entries.join(u'|')));
                seen.insert(letter);
            }
        }
        QTabWidget* tabs = w.window->tabs();
        for (int i = 1; i < tabs->count(); ++i) {  // the cluster manager is another helper's
            QWidget* page = tabs->widget(i);
            QStringList texts = bar;
            for (const QAbstractButton* button : page->findChildren<QAbstractButton*>()) {
                texts << button->text();
            }
            for (const QLabel* label : page->findChildren<QLabel*>()) {
                if (label->buddy() != nullptr) {
                    texts << label->text();
                }
            }
            QHash<QChar, QString> owner;
            for (const QString& text : std::as_const(texts)) {
                const QChar letter = mnemonic(text);
                if (letter.isNull()) {
                    continue;
                }
                QVERIFY2(!owner.contains(letter),
                         qPrintable(QStringLiteral("%1: '%2' in both %3 and %4")
                                        .arg(tabs->tabText(i), letter, owner.value(letter), text)));
                owner.insert(letter, text);
            }
        }
        if (translator) {
            QCoreApplication::removeTranslator(translator.get());
        }
    }
};

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"
