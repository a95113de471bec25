package duckdb

import (
	"context"
	"fmt"
	"strings"

	"github.com/openai-sync/openai-sync/schema"
)

// ensureTable creates the table of t or widens it with the columns it lacks.
// Widening is additive only: a column is never dropped or retyped.
func (d *DB) ensureTable(ctx context.Context, t *schema.Table) error {
	if _, ok := d.tables[t.Name]; ok {
		return nil
	}
	cols := append(t.AllColumns(),
		schema.Column{Name: schema.SyncedAtColumn, Kind: schema.Timestamp},
		schema.Column{Name: schema.DeletedColumn, Kind: schema.Bool})
	defs := make([]string, 0, len(cols))
	for _, c := range cols {
		defs = append(defs, quote(c.Name)+" "+c.Kind.SQLType())
	}
	create := fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s (%s)", d.qualified(t.Name), strings.Join(defs, ", "))
	if _, err := d.conn.ExecContext(ctx, create); err != nil {
		return fmt.Errorf("create table %s: %w", t.Name, err)
	}
	have, err := d.columns(ctx, t.Name)
	if err != nil {
		return err
	}
	for _, c := range cols {
		if have[c.Name] {
			continue
		}
		alter := fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s %s", d.qualified(t.Name), quote(c.Name), c.Kind.SQLType())
		if _, err := d.conn.ExecContext(ctx, alter); err != nil {
			return fmt.Errorf("widen table %s with %s: %w", t.Name, c.Name, err)
		}
		have[c.Name] = true
	}
	d.tables[t.Name] = have
	return nil
}

func (d *DB) columns(ctx context.Context, table string) (map[string]bool, error) {
	// DESCRIBE binds only this table (a query of duckdb_columns() walks every
	// catalog, milliseconds per table), through the SQL parser: a name with a
	// quote in it is read as written, and case-insensitively, as --schema Main.
	rows, err := d.conn.QueryContext(ctx, "SELECT column_name FROM (DESCRIBE "+d.qualified(table)+")")
	if err != nil {
		return nil, fmt.Errorf("columns of %s: %w", table, err)
	}
	defer rows.Close()
	have := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		have[name] = true
	}
	return have, rows.Err()
}
