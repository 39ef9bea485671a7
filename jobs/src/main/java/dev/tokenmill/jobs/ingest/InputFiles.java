package dev.tokenmill.jobs.ingest;

import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.lake.Failures;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/** Expands an input spec (file, folder, glob; local or s3a://) into a sorted list of data files. */
public final class InputFiles {
    private InputFiles() {}

    public static List<InputFile> expand(String spec, Configuration conf) {
        Path pattern = new Path(spec);
        List<InputFile> files = new ArrayList<>();
        try {
            FileSystem fs = pattern.getFileSystem(conf);
            Path qualified = fs.makeQualified(pattern);
            FileStatus[] matches = fs.globStatus(qualified);
            if (matches == null || matches.length == 0) {
                throw new UserError(
                        hasGlob(spec)
                                ? "input '" + spec + "' matches no files"
                                : "input '" + spec + "' does not exist");
            }
            Path root = globRoot(qualified);
            for (FileStatus match : matches) {
                if (match.isDirectory()) {
                    RemoteIterator<LocatedFileStatus> it = fs.listFiles(match.getPath(), true);
                    while (it.hasNext()) {
                        LocatedFileStatus st = it.next();
                        if (!hidden(st.getPath(), match.getPath())) {
                            files.add(file(st, match.getPath()));
                        }
                    }
                } else {
                    files.add(file(
                            match,
                            root.equals(match.getPath()) ? match.getPath().getParent() : root));
                }
            }
        } catch (IOException e) {
            throw Failures.storage("cannot list input " + spec, e);
        }
        files.sort(Comparator.comparing(InputFile::path));
        if (files.isEmpty()) {
            throw new UserError("input '" + spec + "' contains no files");
        }
        return files;
    }

    private static InputFile file(FileStatus st, Path root) {
        String full = st.getPath().toString();
        String base = root.toString();
        String relative = full.startsWith(base + "/")
                ? full.substring(base.length() + 1)
                : st.getPath().getName();
        return new InputFile(full, relative, st.getLen(), st.getModificationTime());
    }

    /** Skips _SUCCESS, .crc and other hidden files/folders below {@code root}. */
    private static boolean hidden(Path p, Path root) {
        for (Path q = p; q != null && !q.equals(root); q = q.getParent()) {
            String n = q.getName();
            if (n.startsWith("_") || n.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    static boolean hasGlob(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('{') >= 0;
    }

    /** The deepest folder of a pattern without glob characters: ids are relative to it. */
    private static Path globRoot(Path qualified) {
        Path p = qualified;
        while (p.getParent() != null && hasGlob(p.toString())) {
            p = p.getParent();
        }
        return p;
    }
}
