package dev.deepgramlambda.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** A deployment package's size: its jars, their total, and the zip Lambda would receive (sam package zips the folder). */
record PackageSize(int jars, long bytes, long zippedBytes) {

    static PackageSize of(Path taskRoot) {
        try (Stream<Path> files = Files.walk(taskRoot)) {
            List<Path> all = files.filter(Files::isRegularFile).sorted().toList();
            CountingStream zipped = new CountingStream();
            long bytes = 0;
            try (ZipOutputStream zip = new ZipOutputStream(zipped)) {
                for (Path file : all) {
                    zip.putNextEntry(new ZipEntry(taskRoot.relativize(file).toString()));
                    bytes += Files.copy(file, zip);
                    zip.closeEntry();
                }
            }
            int jars = (int) all.stream().filter(f -> f.toString().endsWith(".jar")).count();
            return new PackageSize(jars, bytes, zipped.count);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class CountingStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
