// SPDX-License-Identifier: Apache-2.0
#include "tests/support/test_images.h"

#include <random>

#include <QFile>

#include "engine/agent/images/oci_archive_writer.h"

namespace slipway::testing {

bool writeBusyboxImage(const QString& path, const std::string& reference, std::size_t blobBytes) {
    QFile busybox(QStringLiteral("/bin/busybox"));
    if (!busybox.open(QIODevice::ReadOnly)) {
        return false;
    }
    agent::images::LayerBuilder layer;
    layer.addDirectory("bin");
    layer.addFile("bin/busybox", busybox.readAll().toStdString(), 0755);
    layer.addSymlink("bin/sh", "busybox");
    std::string blob(blobBytes, '\0');
    std::mt19937 random(7);
    for (auto& byte : blob) {
        byte = static_cast<char>(random());
    }
    layer.addDirectory("data");
    layer.addFile("data/blob", std::move(blob));
    auto built = layer.build();
    if (!built) {
        return false;
    }
    agent::images::ImageSpec spec;
    spec.references = {reference};
    spec.layers = {std::move(*built)};
    auto archive = agent::images::writeOciArchive({spec});
    if (!archive) {
        return false;
    }
    QFile out(path);
    return out.open(QIODevice::WriteOnly) &&
           out.write(archive->data(), static_cast<qint64>(archive->size())) ==
               static_cast<qint64>(archive->size());
}

std::string blobSizePod(const std::string& name, const std::string& reference) {
    return "apiVersion: v1\n"
           "kind: Pod\n"
           "metadata:\n"
           "  name: " +
           name +
           "\n"
           "spec:\n"
           "  restartPolicy: Never\n"
           "  containers:\n"
           "  - name: main\n"
           "    image: " +
           reference +
           "\n"
           "    imagePullPolicy: Never\n"
           "    command: [\"/bin/sh\", \"-c\", \"/bin/busybox wc -c < /data/blob\"]\n";
}

}  // namespace slipway::testing
