/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the tests of the rc settings (test_opts.c, test_config.c): include after
 * <cmocka.h> and "cli.h".
 */
#ifndef CPUTOP_TEST_SETTINGS_H
#define CPUTOP_TEST_SETTINGS_H

/* An rc line on top of @o's command line, as rc_parse() applies it. */
static inline int setting(struct cli *o, const char *name, const char *value)
{
	return settings_named(&o->set, o->given, name, value, o->err, sizeof(o->err));
}

/* A TUI prompt's answer: applied whatever the command line said. */
static inline int prompt(struct cli *o, enum setting k, const char *value)
{
	return settings_set(&o->set, k, setting_names[k], value, o->err, sizeof(o->err));
}

/* Every setting the rc file holds is the same in @a and @b; the delay to the last bit. */
static void expect_same_settings(const struct cli *a, const struct cli *b)
{
	if (a->set.delay_s != b->set.delay_s)
		fail_msg("delay %.17g read back as %.17g", a->set.delay_s, b->set.delay_s);
	assert_int_equal(a->set.sort, b->set.sort);
	assert_int_equal(a->set.descending, b->set.descending);
	assert_int_equal(a->set.threads, b->set.threads);
	assert_string_equal(a->set.filter, b->set.filter);
	assert_int_equal(a->set.uid_set, b->set.uid_set);
	if (a->set.uid_set)
		assert_int_equal(a->set.uid, b->set.uid);
	assert_int_equal(a->set.nr_fields, b->set.nr_fields);
	assert_memory_equal(a->set.fields, b->set.fields,
			    a->set.nr_fields * sizeof(a->set.fields[0]));
	assert_int_equal(a->set.cpu_total, b->set.cpu_total);
	assert_int_equal(a->set.no_graph, b->set.no_graph);
	assert_int_equal(a->set.cpus, b->set.cpus);
	assert_int_equal(a->set.group, b->set.group);
	assert_int_equal(a->set.tree, b->set.tree);
	assert_int_equal(a->set.no_metrics, b->set.no_metrics);
}

#endif /* CPUTOP_TEST_SETTINGS_H */
