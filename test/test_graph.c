/* test_graph.c — IR construction (ids, unique names, attributes) and every validation
 * error with its exact message; registry lookups. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "engine/graph.h"

static int cnst(sf_graph *g, sf_dtype dt, int rank, int64_t d0, const char *name) {
  sf_shape s = {.rank = rank, .dims = {d0}};
  sf_tensor *t = sf_tensor_new(dt, &s, NULL);
  sf_node *n;
  cr_assert_eq(sf_graph_add_const(g, name, t, &n, NULL), SF_OK);
  sf_tensor_unref(t);
  return n->id;
}

Test(graph, ids_count_every_node_from_one) {
  sf_graph *g = sf_graph_new(false);
  int a = cnst(g, SF_FLOAT32, 1, 3, "a"), b = cnst(g, SF_FLOAT32, 1, 3, "b");
  sf_node *n;
  cr_assert_eq(sf_graph_add(g, "AddV2", "add", (int[]){a, b}, 2, NULL, &n, NULL), SF_OK);
  cr_assert_eq(a, 1);
  cr_assert_eq(b, 2);
  cr_assert_eq(n->id, 3);
  cr_assert_eq(n->dtype, SF_FLOAT32);
  cr_assert_eq(n->shape.dims[0], 3);
  sf_graph_free(g);
}

Test(graph, names_are_made_unique_like_tensorflow) {
  sf_graph *g = sf_graph_new(false);
  cr_assert_str_eq(sf_graph_unique_name(g, "random_normal"), "random_normal");
  cr_assert_str_eq(sf_graph_unique_name(g, "random_normal"), "random_normal_1");
  cr_assert_str_eq(sf_graph_unique_name(g, "random_normal"), "random_normal_2");
  g->scope = "random_normal_1";
  cr_assert_str_eq(sf_graph_unique_name(g, "mul"), "random_normal_1/mul");
  sf_graph_free(g);
}

/* A taken "base_N" is skipped (ops.py unique_name), also while the name table grows. */
Test(graph, unique_names_skip_taken_ones_across_table_growth) {
  sf_graph *g = sf_graph_new(false);
  cr_assert_str_eq(sf_graph_unique_name(g, "add_1"), "add_1");
  cr_assert_str_eq(sf_graph_unique_name(g, "add"), "add");
  cr_assert_str_eq(sf_graph_unique_name(g, "add"), "add_2"); /* add_1 is taken */
  cr_assert_str_eq(sf_graph_unique_name(g, "add_1"), "add_1_1");
  char want[32];
  for (int i = 3; i < 5000; i++) {
    snprintf(want, sizeof want, "add_%d", i);
    cr_assert_str_eq(sf_graph_unique_name(g, "add"), want);
    snprintf(want, sizeof want, "c%d", i);
    cr_assert_str_eq(sf_graph_unique_name(g, want), want);
  }
  cr_assert_str_eq(sf_graph_unique_name(g, "c3"), "c3_1");
  cr_assert_str_eq(sf_graph_unique_name(g, "add_4999"), "add_4999_1");
  sf_graph_free(g);
}

/* Suffixed names have no slot of their own: "add_2" is in use because "add" was made unique
 * twice, "add_3" is not until a third time, and an explicit "add_3" is then skipped. */
Test(graph, suffixed_names_are_taken_without_a_slot_each) {
  sf_graph *g = sf_graph_new(false);
  cr_assert_str_eq(sf_graph_unique_name(g, "add"), "add");
  cr_assert_str_eq(sf_graph_unique_name(g, "add"), "add_1");
  cr_assert_str_eq(sf_graph_unique_name(g, "add"), "add_2");
  cr_assert_str_eq(sf_graph_unique_name(g, "add_2"), "add_2_1");
  cr_assert_str_eq(sf_graph_unique_name(g, "add_3"), "add_3");
  cr_assert_str_eq(sf_graph_unique_name(g, "add_03"), "add_03");
  cr_assert_str_eq(sf_graph_unique_name(g, "add_0"), "add_0");
  cr_assert_str_eq(sf_graph_unique_name(g, "add"), "add_4");
  cr_assert_str_eq(sf_graph_unique_name(g, "add_2_1"), "add_2_1_1");
  cr_assert_str_eq(sf_graph_unique_name(g, "add_1"), "add_1_1");
  cr_assert_eq(g->nnames, 7, "one slot per name asked for: add, add_2, add_3, add_03, add_0, add_2_1, add_1");
  sf_graph_free(g);
}

Test(graph, unknown_op_is_named) {
  sf_graph *g = sf_graph_new(false);
  sf_error err = {0};
  cr_assert_eq(sf_graph_add(g, "Conv9D", NULL, NULL, 0, NULL, NULL, &err), SF_ENAME);
  cr_assert_str_eq(err.msg, "unknown op 'Conv9D'");
  cr_assert_eq(g->n, 0);
  sf_graph_free(g);
}

Test(graph, arity_mismatch_names_the_node) {
  sf_graph *g = sf_graph_new(false);
  sf_error err = {0};
  int a = cnst(g, SF_FLOAT32, 1, 3, "a");
  cr_assert_eq(sf_graph_add(g, "Mul", "m", (int[]){a}, 1, NULL, NULL, &err), SF_EGRAPH);
  cr_assert_str_eq(err.msg, "node 'm' (Mul): expects 2 inputs, got 1");
  sf_graph_free(g);
}

Test(graph, dangling_input_is_an_error) {
  sf_graph *g = sf_graph_new(false);
  sf_error err = {0};
  int a = cnst(g, SF_FLOAT32, 1, 3, "a");
  cr_assert_eq(sf_graph_add(g, "Mul", "m", (int[]){a, 7}, 2, NULL, NULL, &err), SF_EGRAPH);
  cr_assert_str_eq(err.msg, "node 'm' (Mul): input 1 refers to missing node 7");
  sf_graph_free(g);
}

Test(graph, dtype_mismatch_is_an_error) {
  sf_graph *g = sf_graph_new(false);
  sf_error err = {0};
  int a = cnst(g, SF_FLOAT32, 1, 3, "a"), b = cnst(g, SF_INT32, 1, 3, "b");
  cr_assert_eq(sf_graph_add(g, "AddV2", "add", (int[]){a, b}, 2, NULL, NULL, &err), SF_ETYPE);
  cr_assert_str_eq(err.msg, "node 'add' (AddV2): dtype mismatch: float32 vs int32");
  sf_graph_free(g);
}

Test(graph, shape_mismatch_is_an_error) {
  sf_graph *g = sf_graph_new(false);
  sf_error err = {0};
  int a = cnst(g, SF_FLOAT32, 1, 3, "a"), b = cnst(g, SF_FLOAT32, 1, 4, "b");
  cr_assert_eq(sf_graph_add(g, "Mul", "m", (int[]){a, b}, 2, NULL, NULL, &err), SF_ESHAPE);
  cr_assert_str_eq(err.msg, "node 'm' (Mul): incompatible shapes (3,) and (4,)");
  sf_error_clear(&err); /* the first error is kept until cleared */
  cr_assert_eq(sf_graph_add(g, "MatMul", "mm", (int[]){a, b}, 2, NULL, NULL, &err), SF_ESHAPE);
  cr_assert_str_eq(err.msg, "node 'mm' (MatMul): inputs must be matrices, got rank 1 and 1");
  sf_graph_free(g);
}

Test(graph, cycle_through_control_inputs_is_found) {
  sf_graph *g = sf_graph_new(false);
  sf_error err = {0};
  sf_node *x, *y;
  int a = cnst(g, SF_FLOAT32, 1, 3, "a");
  cr_assert_eq(sf_graph_add(g, "Identity", "x", &a, 1, NULL, &x, NULL), SF_OK);
  cr_assert_eq(sf_graph_add(g, "Identity", "y", &x->id, 1, NULL, &y, NULL), SF_OK);
  cr_assert_eq(sf_graph_validate(g, &err), SF_OK);
  cr_assert_eq(sf_graph_add_ctrl(g, x, y->id, NULL), SF_OK);
  cr_assert_eq(sf_graph_validate(g, &err), SF_EGRAPH);
  cr_assert_str_eq(err.msg, "cycle: node 'y' depends on itself through 'x'");
  sf_graph_free(g);
}

Test(graph, control_input_must_exist) {
  sf_graph *g = sf_graph_new(false);
  sf_error err = {0};
  sf_node *n;
  cr_assert_eq(sf_graph_add(g, "NoOp", "init", NULL, 0, NULL, &n, NULL), SF_OK);
  cr_assert_eq(sf_graph_add_ctrl(g, n, 9, &err), SF_EGRAPH);
  cr_assert_str_eq(err.msg, "node 'init': control input refers to missing node 9");
  sf_graph_free(g);
}

Test(registry, every_op_is_found_by_its_tensorflow_name) {
  cr_assert_geq(sf_op_count(), 13);
  for (int i = 0; i < sf_op_count(); i++) cr_assert_eq(sf_op_lookup(sf_op_at(i)->name), sf_op_at(i));
  cr_assert_null(sf_op_lookup("NotAnOp"));
  const sf_op_def *rn = sf_op_lookup("RandomStandardNormal");
  cr_assert(rn->flags & SF_OPF_STATEFUL);
  cr_assert(rn->flags & SF_OPF_RANDOM);
  cr_assert_eq(sf_attr_index(rn, "seed2"), 1);
  cr_assert_eq(rn->attrs[sf_attr_index(rn, "dtype")].dflt.type, SF_FLOAT32);
  cr_assert(sf_op_lookup("StatefulStandardNormalV2")->flags & SF_OPF_SHARED_STREAM);
  cr_assert_not(sf_op_lookup("StatelessRandomNormal")->flags & SF_OPF_STATEFUL);
}

Test(registry, foundation_ops_are_registered) {
  const char *names[] = {"Const", "Identity", "AddV2", "Sub", "Mul", "RealDiv", "Neg", "MatMul",
                         "Mean", "Reshape", "Cast", "GreaterEqual", "NoOp"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) cr_assert(sf_op_lookup(names[i]), "%s", names[i]);
}

/* sf_bcast walks a broadcast giving both operands' offsets as sf_broadcast_offset computes
 * them, element after element: every pair of shapes of rank 0-3 with dims 1-3 (one operand
 * a suffix of the output's rank) that broadcasts. */
Test(graph, broadcast_walk_matches_broadcast_offset) {
  int pairs = 0;
  for (int code_a = 0; code_a < 1 + 3 + 9 + 27; code_a++)
    for (int code_b = 0; code_b < 1 + 3 + 9 + 27; code_b++) {
      sf_shape sh[2];
      int codes[2] = {code_a, code_b};
      for (int k = 0; k < 2; k++) { /* code -> rank and dims: 0 | 1..3 | 4..12 | 13..39 */
        int c = codes[k], r = c == 0 ? 0 : c < 4 ? 1 : c < 13 ? 2 : 3, base = r == 0 ? 0 : r == 1 ? 1 : r == 2 ? 4 : 13;
        c -= base;
        sh[k] = (sf_shape){.rank = r};
        for (int d = r - 1; d >= 0; d--, c /= 3) sh[k].dims[d] = 1 + c % 3;
      }
      sf_shape out;
      sf_error err = {0};
      if (sf_broadcast_shape(&sh[0], &sh[1], &out, &err) != SF_OK) continue;
      int64_t n = 1;
      for (int d = 0; d < out.rank; d++) n *= out.dims[d];
      sf_bcast it;
      sf_bcast_init(&it, &out, &sh[0], &sh[1]);
      for (int64_t i = 0; i < n; i++, sf_bcast_next(&it)) {
        cr_assert_eq(it.off[0], sf_broadcast_offset(&out, &sh[0], i), "pair %d/%d element %lld", code_a, code_b, (long long)i);
        cr_assert_eq(it.off[1], sf_broadcast_offset(&out, &sh[1], i), "pair %d/%d element %lld", code_a, code_b, (long long)i);
      }
      pairs++;
    }
  cr_assert_gt(pairs, 200);
}
