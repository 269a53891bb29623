package org.dplstm.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.dplstm.data.io.TextRecord;
import org.dplstm.data.synthetic.SupportTickets;
import org.dplstm.spark.TestSpark;

/** Synthetic support tickets written by Spark as a folder of Parquet part files (text, label, user columns). */
final class ParquetTickets {

    private ParquetTickets() {}

    static Path write(Path folder, int count, long seed, int parts) {
        StructType schema = new StructType().add("text", DataTypes.StringType).add("label", DataTypes.StringType)
                .add("user", DataTypes.StringType);
        List<Row> rows = new ArrayList<>();
        for (TextRecord ticket : SupportTickets.generate(count, seed)) {
            rows.add(RowFactory.create(ticket.text(), ticket.label(), ticket.user()));
        }
        TestSpark.session().createDataFrame(rows, schema).repartition(parts).write()
                .parquet(folder.toAbsolutePath().toString());
        return folder;
    }
}
