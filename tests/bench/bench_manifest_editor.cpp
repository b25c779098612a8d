// SPDX-License-Identifier: Apache-2.0
// Figures for docs/BENCHMARKS.md: the manifest editor's costs on a 3,400-line file of 200
// documents (100 Deployments and 100 Services from the templates).
//
// - parse: ManifestDocument::setText of the whole file (what opening it costs on the GUI
//   thread), and after a one-character edit (what a keystroke costs: unchanged documents are
//   reused);
// - form edit: ManifestDocument::setValue of one scalar, text edit and re-parse included;
// - validation: validateManifest of the file (on a pool thread in Studio), first call apart
//   (it builds the kind registry and the OpenAPI schemas).
// Asserts only that the operations succeeded.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <QtTest>

#include "gui/models/manifest_document.h"
#include "gui/models/manifest_templates.h"
#include "gui/models/manifest_validator.h"

using namespace slipway::gui;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kPairs = 100;
constexpr int kSamples = 20;

double millis(Clock::duration d) {
    return std::chrono::duration<double, std::milli>(d).count();
}

/// The median of `samples` runs of `run`, in milliseconds.
template <typename Function>
double median(Function run) {
    std::vector<double> times;
    for (int i = 0; i < kSamples; ++i) {
        const auto start = Clock::now();
        run(i);
        times.push_back(millis(Clock::now() - start));
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

}  // namespace

class BenchManifestEditor : public QObject {
    Q_OBJECT

private slots:
    void figures() {
        std::string text;
        for (int i = 0; i < kPairs; ++i) {
            const std::string name = "web-" + std::to_string(i);
            text += manifestTemplate("Deployment", name) + "---\n" +
                    manifestTemplate("Service", name) + "---\n";
        }
        const auto lines = std::count(text.begin(), text.end(), '\n');

        const auto firstStart = Clock::now();
        QVERIFY(validateManifest(ManifestDocument(manifestTemplate("Deployment"))).empty());
        const double firstValidation = millis(Clock::now() - firstStart);

        const double parse = median([&](int) {
            ManifestDocument document(text);
            QCOMPARE(document.parts().size(), std::size_t{2 * kPairs + 1});
        });

        ManifestDocument document(text);
        const std::string::size_type at = text.find("replicas: 2");
        const double keystroke = median([&](int i) {
            std::string edited = text;
            edited.replace(at + 10, 1, std::to_string(i % 10));
            document.setText(std::move(edited));
        });

        const double formEdit = median(
            [&](int i) { QVERIFY(document.setValue(2 * (i % kPairs), "/spec/replicas", 10 + i)); });

        std::vector<ManifestDiagnostic> diagnostics;
        const double validation = median([&](int) { diagnostics = validateManifest(document); });
        QVERIFY(diagnostics.empty());

        std::printf("manifest editor, %lld lines, %d documents (median of %d):\n",
                    static_cast<long long>(lines), 2 * kPairs, kSamples);
        std::printf("  parse whole file          %8.2f ms\n", parse);
        std::printf("  parse after one keystroke %8.2f ms\n", keystroke);
        std::printf("  form edit (setValue)      %8.2f ms\n", formEdit);
        std::printf("  validate whole file       %8.2f ms\n", validation);
        std::printf("  first validation (schemas, registry) %8.2f ms\n", firstValidation);
    }
};

QTEST_GUILESS_MAIN(BenchManifestEditor)
#include "bench_manifest_editor.moc"
