package dev.tokenmill.jobs.lake;

import dev.tokenmill.core.Resources;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/** {@link Resources} on the lake's file systems (local, HDFS, S3A): names resolve like tables do. */
public final class LakeResources implements Resources {
    private final Lake lake;

    public LakeResources(Lake lake) {
        this.lake = lake;
    }

    @Override
    public String resolve(String path) {
        return lake.locate(path).path();
    }

    private Path path(String name) {
        return new Path(resolve(name));
    }

    private FileSystem fs(Path p) throws IOException {
        return p.getFileSystem(lake.hadoopConf());
    }

    @Override
    public boolean exists(String name) {
        Path p = path(name);
        try {
            return fs(p).exists(p);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot reach " + p + ": " + e.getMessage());
        }
    }

    @Override
    public List<String> files(String name) {
        Path root = path(name);
        try {
            FileSystem fs = fs(root);
            if (!fs.getFileStatus(root).isDirectory()) {
                return List.of(fs.makeQualified(root).toString());
            }
            List<String> files = new ArrayList<>();
            for (FileStatus f : fs.listStatus(root)) {
                if (f.isFile() && !f.getPath().getName().startsWith(".")) {
                    files.add(f.getPath().toString());
                }
            }
            files.sort(null);
            return files;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list " + root + ": " + e.getMessage());
        }
    }

    @Override
    public byte[] read(String name) {
        Path p = path(name);
        try (InputStream in = fs(p).open(p)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + p + ": " + e.getMessage());
        }
    }

    @Override
    public String stamp(String name) {
        Path root = path(name);
        try {
            FileSystem fs = fs(root);
            String prefix = fs.getFileStatus(root).getPath().toString();
            List<String> entries = new ArrayList<>();
            RemoteIterator<LocatedFileStatus> files = fs.listFiles(root, true);
            while (files.hasNext()) {
                LocatedFileStatus f = files.next();
                String full = f.getPath().toString();
                String relative = full.substring(Math.min(prefix.length(), full.length()));
                if (!relative.endsWith(".crc")) {
                    entries.add(relative + ":" + f.getLen() + ":" + f.getModificationTime());
                }
            }
            entries.sort(null);
            return Resources.sha256(String.join("\n", entries).getBytes(StandardCharsets.UTF_8))
                    .substring(0, 16);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + root + ": " + e.getMessage());
        }
    }
}
