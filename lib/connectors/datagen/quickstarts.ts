import { type Schema, SchemaBuilder, Schemas, Struct } from '../../api/index.js';
import type { SeededRandom } from './random.js';

/**
 * A quickstart of kafka-connect-datagen, generated natively: the same field names, types, schema name
 * (the Avro record's `namespace.name`) and key field as Confluent's `*_schema.avro` files, with values drawn
 * from the same ranges, options and patterns.
 */
export interface Quickstart {
  schema: Schema;
  /** The field whose value, as a string, is the record key. */
  keyField: string;
  /** The value of the `iteration`-th record (0-based); iteration fields derive from it. */
  generate(random: SeededRandom, iteration: number): Struct;
}

const REGISTER_MIN = 1487715775521;
const REGISTER_MAX = 1519273364600;
const user = (r: SeededRandom) => `User_${r.digits(1, 0, 1)}`;

const usersSchema = SchemaBuilder.struct()
  .name('ksql.users')
  .field('registertime', Schemas.INT64)
  .field('userid', Schemas.STRING)
  .field('regionid', Schemas.STRING)
  .field('gender', Schemas.STRING)
  .build();

const pageviewsSchema = SchemaBuilder.struct()
  .name('ksql.pageviews')
  .field('viewtime', Schemas.INT64)
  .field('userid', Schemas.STRING)
  .field('pageid', Schemas.STRING)
  .build();

const addressSchema = SchemaBuilder.struct()
  .name('ksql.address')
  .field('city', Schemas.STRING)
  .field('state', Schemas.STRING)
  .field('zipcode', Schemas.INT64)
  .build();

const ordersSchema = SchemaBuilder.struct()
  .name('ksql.orders')
  .field('ordertime', Schemas.INT64)
  .field('orderid', Schemas.INT32)
  .field('itemid', Schemas.STRING)
  .field('orderunits', Schemas.FLOAT64)
  .field('address', addressSchema)
  .build();

const stockTradesSchema = SchemaBuilder.struct()
  .name('ksql.StockTrade')
  .doc('Defines a hypothetical stock trade using some known test stock symbols.')
  .field('side', Schemas.STRING)
  .field('quantity', Schemas.INT32)
  .field('symbol', Schemas.STRING)
  .field('price', Schemas.INT32)
  .field('account', Schemas.STRING)
  .field('userid', Schemas.STRING)
  .build();

export const QUICKSTARTS: Readonly<Record<string, Quickstart>> = {
  users: {
    schema: usersSchema,
    keyField: 'userid',
    generate: (r) =>
      new Struct(usersSchema)
        .put('registertime', r.int(REGISTER_MIN, REGISTER_MAX))
        .put('userid', user(r))
        .put('regionid', `Region_${r.digits(1, 0, 1)}`)
        .put('gender', r.pick(['MALE', 'FEMALE', 'OTHER'])),
  },
  pageviews: {
    schema: pageviewsSchema,
    keyField: 'viewtime',
    generate: (r, i) =>
      new Struct(pageviewsSchema)
        .put('viewtime', 1 + 10 * i)
        .put('userid', user(r))
        .put('pageid', `Page_${r.int(1, 10)}${r.digits(0, 0, 1)}`),
  },
  orders: {
    schema: ordersSchema,
    keyField: 'orderid',
    generate: (r, i) =>
      new Struct(ordersSchema)
        .put('ordertime', r.int(REGISTER_MIN, REGISTER_MAX))
        .put('orderid', i)
        .put('itemid', `BYOC_Item_${r.int(1, 10)}${r.digits(0, 0, 2)}`)
        .put('orderunits', 0.1 + r.next() * 9.9)
        .put(
          'address',
          new Struct(addressSchema)
            .put('city', `City_${r.digits(1, 0, 2)}`)
            .put('state', `State_${r.digits(1, 0, 2)}`)
            .put('zipcode', r.int(10000, 99999)),
        ),
  },
  stock_trades: {
    schema: stockTradesSchema,
    keyField: 'symbol',
    generate: (r) =>
      new Struct(stockTradesSchema)
        .put('side', r.pick(['BUY', 'SELL', 'SHORT']))
        .put('quantity', r.int(1, 5000))
        .put('symbol', r.pick(['ZBZX', 'ZJZZT', 'ZTEST', 'ZVV', 'ZVZZT', 'ZWZZT', 'ZXZZT']))
        .put('price', r.int(5, 1000))
        .put('account', r.pick(['ABC123', 'LMN456', 'XYZ789']))
        .put('userid', user(r)),
  },
};
