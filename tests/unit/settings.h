/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the tests of the rc settings (test_opts.c, test_config.c): include after
 * <cmocka.h> and "opts.h".
 */
#ifndef CPUTOP_TEST_SETTINGS_H
#define CPUTOP_TEST_SETTINGS_H

/* Every setting the rc file holds is the same in @a and @b; the delay to the last bit. */
static void expect_same_settings(const struct cputop_opts *a, const struct cputop_opts *b)
{
	if (a->delay_s != b->delay_s)
		fail_msg("delay %.17g read back as %.17g", a->delay_s, b->delay_s);
	assert_int_equal(a->sort, b->sort);
	assert_int_equal(a->descending, b->descending);
	assert_int_equal(a->threads, b->threads);
	assert_string_equal(a->filter, b->filter);
	assert_int_equal(a->uid_set, b->uid_set);
	if (a->uid_set)
		assert_int_equal(a->uid, b->uid);
	assert_int_equal(a->nr_fields, b->nr_fields);
	assert_memory_equal(a->fields, b->fields, a->nr_fields * sizeof(a->fields[0]));
	assert_int_equal(a->cpu_total, b->cpu_total);
	assert_int_equal(a->no_graph, b->no_graph);
	assert_int_equal(a->cpus, b->cpus);
	assert_int_equal(a->group, b->group);
	assert_int_equal(a->tree, b->tree);
	assert_int_equal(a->no_metrics, b->no_metrics);
}

#endif /* CPUTOP_TEST_SETTINGS_H */
