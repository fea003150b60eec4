/* api_control.h — loops and conditionals over tensors (api_control.c): tf.while_loop,
 * tf.cond and AutoGraph's `for`/`while`/`if` over tensors in a tf.function. Internal. */
#ifndef SEEDFLOW_API_CONTROL_H
#define SEEDFLOW_API_CONTROL_H

#include "interp.h"

typedef struct sf_ctl_site sf_ctl_site;

/* A loop body or a conditional's branch being traced: its own FuncGraph in TensorFlow
 * (while_v2 / cond_v2), unrolled by seedflow into the enclosing graph. Lives on the C
 * stack of the statement or call that runs it; linked from I->ctl while active. */
typedef struct sf_ctl_frame {
  struct sf_ctl_frame *up;
  bool active;              /* traced (on I->ctl); false: eager, runs as Python */
  bool branch;              /* a branch, not a loop */
  const void *stmt;         /* branch: the statement or call, and which side runs */
  bool side;
  sf_graph *g;
  int64_t saved_counter;    /* the enclosing graph's op-seed counter */
  int iter;                 /* loop: iterations begun */
  sf_ctl_site *sites;       /* loop: the body's random ops (one kernel each) */
  int nsites, capsites;
} sf_ctl_frame;

/* The truth value of a tensor in `if`/`while` or a loop condition: an eager tensor's
 * value; inside a tf.function (AutoGraph) a graph tensor's value at trace time; a
 * TypeError in a TF1 graph. what names the construct in errors. */
sf_status sf_ctl_truth(sf_interp *I, const sf_expr *at, const sf_val *v, const char *what, bool *out);
/* Starts a branch that runs (side) of the conditional stmt: a frame when traced. */
sf_status sf_ctl_branch(sf_interp *I, const sf_expr *at, sf_ctl_frame *f, const void *stmt, bool side);
/* Starts a loop: a frame when traced. */
sf_status sf_ctl_loop(sf_interp *I, const sf_expr *at, sf_ctl_frame *f);
/* Begins the next iteration of a loop's body. */
void sf_ctl_iter(sf_interp *I, sf_ctl_frame *f);
/* Before a loop condition is traced: its own graph's op-seed counter. */
void sf_ctl_cond(sf_interp *I, sf_ctl_frame *f);
/* Ends a frame begun by sf_ctl_branch / sf_ctl_loop; returns st. */
sf_status sf_ctl_leave(sf_interp *I, sf_ctl_frame *f, sf_status st);
/* A node was added to the current graph: a random op in a loop body repeated by the
 * unrolling runs on the kernel of its first iteration's node. */
sf_status sf_ctl_node(sf_interp *I, sf_node *n);
/* for x in tensor: the elements along the first dimension (new list object *out). */
sf_status sf_ctl_elements(sf_interp *I, const sf_expr *at, const sf_val *v, sf_val *out);
/* tf.while_loop, tf.cond. */
sf_builtin_fn sf_control_lookup(const char *path);
/* tf.while_loop and tf.cond (and compat.v1's): they run the program functions they are given
 * and take their results; eager, they release what an iteration made and no loop variable
 * holds (lang/eval.c pin_call, call_api). */
bool sf_control_runs_functions(sf_builtin_fn fn);
/* tf.get_variable, variable_scope, name_scope, tf.layers.dense/dropout, tf.nn.relu
 * (api_tf1_vars.c). */
sf_builtin_fn sf_tf1vars_lookup(const char *path);
bool sf_tf1vars_pure(sf_builtin_fn fn);
/* TF1 graph variables (api_tf1_vars.c): VariableV2 `var` of the default graph was created with
 * trainable=False (or is an optimizer's slot); whether var of g is trainable; the "read"
 * Identity of var (variables.py RefVariable._snapshot), 0 when none. */
sf_status sf_tf1_not_trainable(sf_interp *I, int var);
bool sf_tf1_trainable(sf_interp *I, const sf_graph *g, int var);
int sf_tf1_read_of(const sf_graph *g, int var);
/* Whether g holds Keras layers' weights (resource variables: AssignVariableOp), which TF's
 * collections and a TF1 optimizer's default var_list would include and seedflow's do not. */
bool sf_tf1_keras_weights(const sf_graph *g);

#endif
