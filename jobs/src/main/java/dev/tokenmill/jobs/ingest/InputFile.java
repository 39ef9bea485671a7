package dev.tokenmill.jobs.ingest;

import java.io.Serializable;

/** One input file: its absolute URI, its name relative to the input root (used in ids), size and mtime. */
public record InputFile(String path, String relative, long size, long modified) implements Serializable {}
