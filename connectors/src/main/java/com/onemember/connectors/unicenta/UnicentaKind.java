package com.onemember.connectors.unicenta;

import com.onemember.connectors.frame.ConnectorInstance;
import com.onemember.connectors.frame.JdbcKind;
import com.onemember.connectors.frame.SourceTable;

/** The {@code unicenta} kind. */
public final class UnicentaKind implements JdbcKind {

  @Override
  public String name() {
    return "unicenta";
  }

  @Override
  public String description() {
    return "uniCenta oPOS customers (PostgreSQL, MySQL or MariaDB) / uniCenta 收银系统会员";
  }

  @Override
  public SourceTable table(ConnectorInstance instance) {
    return new UnicentaCustomers();
  }

  @Override
  public String parametersSchema() {
    return "connectors/unicenta/parameters.schema.json";
  }
}
