package dev.tokenmill.jobs.lake;

/** A table by display name (lake-relative where possible) and absolute path/URI. */
public record TableLocation(String name, String path) {}
