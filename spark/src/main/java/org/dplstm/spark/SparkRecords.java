package org.dplstm.spark;

import static org.apache.spark.sql.functions.col;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.dplstm.data.io.ReadOptions;
import org.dplstm.data.io.TextRecord;

/**
 * Text records from Spark: the named text, label and user columns of a {@code Dataset<Row>}
 * (values read as strings), collected to the driver, where they are sanitized, encoded and
 * planned exactly as records read from a file.
 */
public final class SparkRecords {

    private static final String FILE = "_dplstm_file";
    private static final String ROW = "_dplstm_row";

    private SparkRecords() {}

    /**
     * The rows' records in the dataset's order; {@code source} names the data in messages. A
     * missing column, or a row without text (or without a label when a label column is named),
     * is bad input.
     */
    public static List<TextRecord> of(Dataset<Row> rows, ReadOptions columns, String source) {
        checkColumns(rows, columns, source);
        List<TextRecord> records = new ArrayList<>();
        long index = 0;
        for (Row row : rows.select(selected(columns)).collectAsList()) {
            records.add(record(row, columns, source, ++index));
        }
        return records;
    }

    /**
     * The records of a Parquet file or folder of part files in a defined order: by file path, then
     * by row within the file (each record's location is its file and 1-based row).
     */
    public static List<TextRecord> readParquet(SparkSession spark, Path input, ReadOptions columns) {
        Dataset<Row> table = spark.read().parquet(input.toAbsolutePath().toString());
        checkColumns(table, columns, input.toString());
        List<Column> selected = new ArrayList<>(Arrays.asList(selected(columns)));
        selected.add(col("_metadata.file_path").as(FILE));
        selected.add(col("_metadata.row_index").as(ROW));
        List<TextRecord> records = new ArrayList<>();
        for (Row row : table.select(selected.toArray(Column[]::new)).orderBy(FILE, ROW).collectAsList()) {
            String file = row.getString(row.fieldIndex(FILE));
            String name = file.substring(file.lastIndexOf('/') + 1);
            records.add(record(row, columns, name, row.getLong(row.fieldIndex(ROW)) + 1));
        }
        return records;
    }

    private static void checkColumns(Dataset<Row> rows, ReadOptions columns, String source) {
        List<String> present = Arrays.asList(rows.columns());
        for (String name : named(columns)) {
            if (!present.contains(name)) {
                throw new IllegalArgumentException(source + " must have a column '" + name + "', had " + present);
            }
        }
    }

    private static List<String> named(ReadOptions columns) {
        List<String> names = new ArrayList<>(List.of(columns.textField()));
        if (columns.labelField() != null) {
            names.add(columns.labelField());
        }
        if (columns.userField() != null) {
            names.add(columns.userField());
        }
        return names;
    }

    private static Column[] selected(ReadOptions columns) {
        return named(columns).stream().map(name -> col(name).cast("string")).toArray(Column[]::new);
    }

    private static TextRecord record(Row row, ReadOptions columns, String source, long line) {
        String text = row.getString(0);
        String label = columns.labelField() != null ? row.getString(1) : null;
        String user = columns.userField() != null ? row.getString(columns.labelField() != null ? 2 : 1) : null;
        String location = source + ":" + line;
        if (text == null) {
            throw new IllegalArgumentException(location + ": the text column '" + columns.textField() + "' is null");
        }
        if (columns.labelField() != null && (label == null || label.isBlank())) {
            throw new IllegalArgumentException(location + ": the label column '" + columns.labelField()
                    + "' is null or empty");
        }
        return TextRecord.of(source, line, text, label, user);
    }
}
