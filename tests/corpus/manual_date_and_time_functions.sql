-- category: date and time functions
-- source: the examples of the MariaDB reference manual as MariaDB 10.11.19 ships it (mysql.help_topic,
-- from fill_help_tables.sql), page by page; written by tools/corpus_from_manual.py, do not edit by
-- hand (rerun the script). Each page is followed by DROPs of what its examples created.

-- == ADDDATE: https://mariadb.com/docs/server/reference/sql-functions/date-time-functions/adddate
SELECT DATE_ADD('2008-01-02', INTERVAL 31 DAY);
SELECT ADDDATE('2008-01-02', INTERVAL 31 DAY);

-- == ADDTIME: https://mariadb.com/docs/server/reference/sql-functions/date-time-functions/addtime
SELECT ADDTIME('2007-12-31 23:59:59.999999', '1 1:1:1.000002');
SELECT ADDTIME('01:00:00.999999', '02:00:00.999998');

-- == ADD_MONTHS: https://mariadb.com/docs/server/reference/sql-functions/date-time-functions/add_months
SELECT ADD_MONTHS('2012-01-31', 2);
SELECT ADD_MONTHS('2012-01-31', -5);
SELECT ADD_MONTHS('2011-01-31', 1);
SELECT ADD_MONTHS('2012-01-31', 1);
SELECT ADD_MONTHS('2012-01-31', 2);
SELECT ADD_MONTHS('2012-01-31', 3);
SELECT ADD_MONTHS('2011-01-15', 2.5);
SELECT ADD_MONTHS('2011-01-15', 2.6);
SELECT ADD_MONTHS('2011-01-15', 2.1);

-- == CONVERT_TZ: https://mariadb.com/docs/server/reference/sql-functions/date-time-functions/convert_tz
SELECT CONVERT_TZ('2016-01-01 12:00:00','+00:00','+10:00');

-- == DATE FUNCTION: https://mariadb.com/docs/server/reference/sql-functions/date-time-functions/date-function
SELECT DATE('2013-07-18 12:21:32');

-- == DATEDIFF: https://mariadb.com/docs/server/reference/sql-functions/date-time-functions/datediff
SELECT DATEDIFF('2007-12-31 23:59:59','2007-12-30');
SELECT DATEDIFF('2010-11-30 23:59:59','2010-12-31');

-- == DATE_ADD: https://mariadb.com/docs/server/reference/sql-functions/date-time-functions/date_add
SELECT '2008-12-31 23:59:59' + INTERVAL 1 SECOND;

-- == DATE_FORMAT: https://mariadb.com/docs/server/reference/sql-functions/date-time-functions/date_format
SELECT DATE_FORMAT('2009-10-04 22:23:00', '%W %M %Y');
SELECT DATE_FORMAT('2007-10-04 22:23:00', '%H:%i:%s');
SELECT DATE_FORMAT('1900-10-04 22:23:00', '%D %y %a %d %m %b %j');
SELECT DATE_FORMAT('1997-10-04 22:23:00', '%H %k %I %r %T %S %w');
SELECT DATE_FORMAT('1999-01-01', '%X %V');
SELECT DATE_FORMAT('2006-06-00', '%d');

-- == DATE_SUB: https://mariadb.com/docs/server/reference/sql-functions/date-time-functions/date_sub
SELECT DATE_SUB('1998-01-02', INTERVAL 31 DAY);

-- == DAYNAME: https://mariadb.com/docs/server/reference/sql-functions/date-time-functions/dayname
SELECT DAYNAME('2007-02-03');

-- == DAYOFMONTH: https://mariadb.com/docs/server/reference/sql-functions/date-time-functions/dayofmonth
SELECT DAYOFMONTH('2007-02-03');

-- == DAYOFWEEK: https://mariadb.com/docs/server/reference/sql-functions/date-time-functions/dayofweek
SELECT DAYOFWEEK('2007-02-03');

-- == DAYOFYEAR: https://mariadb.com/docs/server/reference/sql-functions/date-time-functions/dayofyear
SELECT DAYOFYEAR('2018-02-16');

-- == EXTRACT: https://mariadb.com/docs/server/reference/sql-functions/date-time-functions/extract
SELECT EXTRACT(YEAR FROM '2009-07-02');
SELECT EXTRACT(YEAR_MONTH FROM '2009-07-02 01:02:03');
SELECT EXTRACT(DAY_MINUTE FROM '2009-07-02 01:02:03');
SELECT EXTRACT(MICROSECOND FROM '2003-01-02 10:30:00.000123');

-- == FROM_DAYS: https://mariadb.com/docs/server/reference/sql-functions/date-time-functions/from_days
SELECT FROM_DAYS(730669);

-- == FROM_UNIXTIME: https://mariadb.com/docs/server/reference/sql-functions/date-time-functions/from_unixtime
SELECT FROM_UNIXTIME(1196440219);
SELECT FROM_UNIXTIME(1196440219) + 0;

-- == GET_FORMAT: https://mariadb.com/docs/server/reference/sql-functions/date-time-functions/get_format
SELECT GET_FORMAT(DATE, 'EUR');

-- == HOUR: https://mariadb.com/docs/server/reference/sql-functions/date-time-functions/hour
SELECT HOUR('10:05:03');
SELECT HOUR('272:59:59');

-- == LAST_DAY: https://mariadb.com/docs/server/reference/sql-functions/date-time-functions/last_day
SELECT LAST_DAY('2003-02-05');
SELECT LAST_DAY('2004-02-05');
SELECT LAST_DAY('2004-01-01 01:01:01');
SELECT LAST_DAY('2003-03-32');

-- == MAKEDATE: https://mariadb.com/docs/server/reference/sql-functions/date-time-functions/makedate
SELECT MAKEDATE(2011,31), MAKEDATE(2011,32);

-- == MAKETIME: https://mariadb.com/docs/server/reference/sql-functions/date-time-functions/maketime
SELECT MAKETIME(13,57,33);
SELECT MAKETIME(-13,57,33);
SELECT MAKETIME(13,67,33);
SELECT MAKETIME(-1000,57,33);
SHOW WARNINGS;

-- == MICROSECOND: https://mariadb.com/docs/server/reference/sql-functions/date-time-functions/microsecond
SELECT MICROSECOND('12:00:00.123456');
SELECT MICROSECOND('2009-12-31 23:59:59.000010');
SELECT MICROSECOND('2013-08-07 12:13:14');
SELECT MICROSECOND('2013-08-07');
SHOW WARNINGS;

-- == MINUTE: https://mariadb.com/docs/server/reference/sql-functions/date-time-functions/minute
SELECT MINUTE('2013-08-03 11:04:03');

-- == MONTH: https://mariadb.com/docs/server/reference/sql-functions/date-time-functions/month
SELECT MONTH('2019-01-03');
SELECT MONTH('2019-00-03');

-- == MONTHNAME: https://mariadb.com/docs/server/reference/sql-functions/date-time-functions/monthname
SELECT MONTHNAME('2019-02-03');

-- == PERIOD_ADD: https://mariadb.com/docs/server/reference/sql-functions/date-time-functions/period_add
SELECT PERIOD_ADD(200801,2);
SELECT PERIOD_ADD(6910,2);
SELECT PERIOD_ADD(7010,2);

-- == PERIOD_DIFF: https://mariadb.com/docs/server/reference/sql-functions/date-time-functions/period_diff
SELECT PERIOD_DIFF(200802,200703);
SELECT PERIOD_DIFF(6902,6803);
SELECT PERIOD_DIFF(7002,6803);

-- == QUARTER: https://mariadb.com/docs/server/reference/sql-functions/date-time-functions/quarter
SELECT QUARTER('2008-04-01');
SELECT QUARTER('2019-00-01');

-- == SECOND: https://mariadb.com/docs/server/reference/sql-functions/date-time-functions/second
SELECT SECOND('10:05:03');
SELECT SECOND('10:05:01.999999');

-- == SEC_TO_TIME: https://mariadb.com/docs/server/reference/sql-functions/date-time-functions/sec_to_time
SELECT SEC_TO_TIME(12414);
SELECT SEC_TO_TIME(12414)+0;
SELECT SEC_TO_TIME(9999999);
SHOW WARNINGS;

-- == STR_TO_DATE: https://mariadb.com/docs/server/reference/sql-functions/date-time-functions/str_to_date
SELECT STR_TO_DATE('Wednesday, June 2, 2014', '%W, %M %e, %Y');
SELECT STR_TO_DATE('Wednesday23423, June 2, 2014', '%W, %M %e, %Y');
SHOW WARNINGS;
SELECT STR_TO_DATE('Wednesday23423, June 2, 2014', '%W%#, %M %e, %Y');

-- == SUBDATE: https://mariadb.com/docs/server/reference/sql-functions/date-time-functions/subdate
SELECT DATE_SUB('2008-01-02', INTERVAL 31 DAY);
SELECT SUBDATE('2008-01-02', INTERVAL 31 DAY);

-- == SUBTIME: https://mariadb.com/docs/server/reference/sql-functions/date-time-functions/subtime
SELECT SUBTIME('2007-12-31 23:59:59.999999','1 1:1:1.000002');
SELECT SUBTIME('01:00:00.999999', '02:00:00.999998');

-- == TIMEDIFF: https://mariadb.com/docs/server/reference/sql-functions/date-time-functions/timediff
SELECT TIMEDIFF('2000:01:01 00:00:00', '2000:01:01 00:00:00.000001');
SELECT TIMEDIFF('2008-12-31 23:59:59.000001', '2008-12-30 01:01:01.000002');

-- == TIMESTAMPADD: https://mariadb.com/docs/server/reference/sql-functions/date-time-functions/timestampadd
SELECT TIMESTAMPADD(MINUTE,1,'2003-01-02');
SELECT TIMESTAMPADD(WEEK,1,'2003-01-02');

-- == TIMESTAMPDIFF: https://mariadb.com/docs/server/reference/sql-functions/date-time-functions/timestampdiff
SELECT TIMESTAMPDIFF(MONTH,'2003-02-01','2003-05-01');
SELECT TIMESTAMPDIFF(YEAR,'2002-05-01','2001-01-01');
SELECT TIMESTAMPDIFF(MINUTE,'2003-02-01','2003-05-01 12:05:55');

-- == TIME_FORMAT: https://mariadb.com/docs/server/reference/sql-functions/date-time-functions/time_format
SELECT TIME_FORMAT('100:00:00', '%H %k %h %I %l');

-- == TIME_TO_SEC: https://mariadb.com/docs/server/reference/sql-functions/date-time-functions/time_to_sec
SELECT TIME_TO_SEC('22:23:00');

-- == TO_DAYS: https://mariadb.com/docs/server/reference/sql-functions/date-time-functions/to_days
SELECT TO_DAYS('2007-10-07');
SELECT TO_DAYS('0000-01-01');
SELECT TO_DAYS(950501);

-- == TO_SECONDS: https://mariadb.com/docs/server/reference/sql-functions/date-time-functions/to_seconds
SELECT TO_SECONDS('2013-06-13');
SELECT TO_SECONDS('2013-06-13 21:45:13');
SELECT TO_SECONDS(20130513);
SELECT TO_SECONDS(130513);

-- == UNIX_TIMESTAMP: https://mariadb.com/docs/server/reference/sql-functions/date-time-functions/unix_timestamp
SELECT UNIX_TIMESTAMP('2007-11-30 10:30:19');
SELECT UNIX_TIMESTAMP("2007-11-30 10:30:19.123456");
SELECT FROM_UNIXTIME(UNIX_TIMESTAMP('2007-11-30 10:30:19'));
SELECT FROM_UNIXTIME(FLOOR(UNIX_TIMESTAMP('2007-11-30 10:30:19')));

-- == WEEK: https://mariadb.com/docs/server/reference/sql-functions/date-time-functions/week
SELECT WEEK('2008-02-20');
SELECT WEEK('2008-02-20',0);
SELECT WEEK('2008-02-20',1);
SELECT WEEK('2008-12-31',0);
SELECT WEEK('2008-12-31',1);

-- == WEEKDAY: https://mariadb.com/docs/server/reference/sql-functions/date-time-functions/weekday
SELECT WEEKDAY('2008-02-03 22:23:00');
SELECT WEEKDAY('2007-11-06');

-- == WEEKOFYEAR: https://mariadb.com/docs/server/reference/sql-functions/date-time-functions/weekofyear
SELECT WEEKOFYEAR('2008-02-20');

-- == YEAR: https://mariadb.com/docs/server/reference/sql-functions/date-time-functions/year
CREATE TABLE t1 (d DATETIME);
INSERT INTO t1 VALUES
    ("2007-01-30 21:31:07"),
    ("1983-10-15 06:42:51"),
    ("2011-04-21 12:34:56"),
    ("2011-10-30 06:31:41"),
    ("2011-01-30 14:03:25"),
    ("2004-10-07 11:19:34");
DROP TABLE IF EXISTS t1;

-- == YEARWEEK: https://mariadb.com/docs/server/reference/sql-functions/date-time-functions/yearweek
SELECT YEARWEEK('1987-01-01');
