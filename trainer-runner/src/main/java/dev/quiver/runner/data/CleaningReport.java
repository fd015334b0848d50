package dev.quiver.runner.data;

/** What cleaning did to a dataset: rows read, empty rows and exact duplicates dropped, rows whose whitespace was normalised. */
public record CleaningReport(int rowsRead, int emptyDropped, int duplicatesDropped, int whitespaceNormalised, int kept) {}
