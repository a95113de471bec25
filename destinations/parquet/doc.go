// Package parquet is the Parquet destination: every stream a Parquet dataset
// under one directory, written with arrow-go's pqarrow (zstd, statistics on,
// the Arrow schema stored, row groups of up to DefaultRowGroupRows rows). It
// is pure Go: it does not link DuckDB.
//
// # Layout
//
//	DIR/_manifest.json                  the current files of every stream (the commit point)
//	DIR/_sync_state.json                stream → {cursor, updated_at}
//	DIR/_sync_runs.jsonl                one JSON object a run (the columns of DuckDB's _sync_runs)
//	DIR/_sync.lock                      held by the one process writing the dataset
//	DIR/<stream>/date=YYYY-MM-DD/part-<seq>.parquet   a stream with a time column: the UTC date of
//	                                    that column (date=__HIVE_DEFAULT_PARTITION__ when it is null)
//	DIR/<stream>/part-<seq>.parquet     a stream without one (the snapshots)
//
// seq is a sequence number over the whole dataset, ten digits. Every file has
// the table's columns, _extra (the undeclared members, JSON text), _synced_at
// (the write's time, timestamp[us, UTC]) and _deleted (bool). A column a
// newer release declares appears in the files written from then on; older
// files lack it, and readers that union by name read it as null there.
//
// # Commit protocol
//
// A Write is atomic. Its data files are written under hidden temporary names
// (".part-<seq>.parquet.tmp", which Spark skips as hidden and no
// "*.parquet" glob matches), synced and renamed into place, and their
// directories synced. Then the manifest, naming the new files and no longer
// naming the files the write retired, is written to a temporary file, synced
// and renamed over _manifest.json: the commit point. Then _sync_state.json is
// replaced the same way with the batch's cursor; then the retired files are
// removed. So a crash leaves either the old manifest, whose files are all
// intact, or the new one with the old cursor, behind the rows, which a rerun
// reads again and merges; never a cursor ahead of the rows it covers. A
// failed Write removes the files it renamed into place; after a crash, Open
// removes them, with temporary files and files retired but not yet removed,
// so the data files on disk are again exactly those the manifest names.
//
// A batch's rows (the last row of a key when a batch repeats it) are appended
// as one new file per partition. A batch that replaces a range (usage and
// cost buckets re-read) rewrites the date partitions the range covers: their
// current rows outside the range, plus the batch's rows, in one new file that
// replaces the partition's files. A batch that sweeps (the end of a complete
// snapshot) rewrites every partition of its stream, a new generation: the
// current rows, with the rows the listing did not return marked
// _deleted = true and given the write's _synced_at, as the DuckDB destination
// marks them; the previous generation's files are retired. Rows marked
// deleted stay, as they do in DuckDB; a key listed again is current again.
// A partition that has 16 files is compacted into one by the next batch that
// adds rows to it, so a stream appended to often keeps few files a day.
//
// # Current rows
//
// Files are otherwise append-only, so a key re-read in a later write has a
// newer version in a newer file. The current rows of a stream are, for each
// primary key (the manifest's primary_key; nulls compare equal), the row with
// the greatest _synced_at. Each write's _synced_at is later than every
// earlier write's (even if the clock goes back), and a write holds one row a
// key, so the rule has no ties within the files the manifest names. The
// current rows are what the DuckDB destination's table holds, _deleted rows
// included. CurrentRows and ReadCurrent apply the rule in Go.
//
// One-liners (users: key id; for another stream, partition by its
// primary_key, e.g. usage_completions by bucket_start, bucket_width,
// project_id, user_id, api_key_id, model, batch, service_tier):
//
// DuckDB:
//
//	SELECT * FROM read_parquet('DIR/users/**/*.parquet', hive_partitioning = true, union_by_name = true) QUALIFY row_number() OVER (PARTITION BY id ORDER BY _synced_at DESC) = 1;
//
// Polars:
//
//	pl.concat([pl.scan_parquet(f) for f in glob.glob("DIR/users/**/*.parquet", recursive=True)], how="diagonal_relaxed").filter(pl.col("_synced_at") == pl.col("_synced_at").max().over("id")).collect()
//
// Spark (from pyspark.sql import Window, functions as F):
//
//	spark.read.option("mergeSchema", "true").parquet("DIR/users").withColumn("_rn", F.row_number().over(Window.partitionBy("id").orderBy(F.desc("_synced_at")))).where("_rn = 1").drop("_rn")
//
// A glob reads the files on disk, which are the manifest's except while a
// write is committing (its new files are complete and already visible; the
// files it retires go a moment after the commit) or after a crash until the
// next Open. To read exactly the committed files, take the list from the
// manifest:
//
//	SET VARIABLE files = (SELECT list('DIR/' || f.path) FROM (SELECT unnest(streams.users.files) AS f FROM read_json('DIR/_manifest.json')));
//	SELECT * FROM read_parquet(getvariable('files'), hive_partitioning = true, union_by_name = true) QUALIFY row_number() OVER (PARTITION BY id ORDER BY _synced_at DESC) = 1;
//
//	pl.concat([pl.scan_parquet(f"DIR/{f['path']}") for f in json.load(open("DIR/_manifest.json"))["streams"]["users"]["files"]], how="diagonal_relaxed")  # then the same filter
//
// With hive_partitioning, DuckDB and Spark add the partition as a column
// "date"; _extra reads as text (DuckDB's json functions take it as it is).
package parquet
