/*
 * How issue 14's operators print (docs/operators.md). A form is a template in
 * which %1 and %2 stand for the printed operands (each already bracketed when
 * it is not an atom).
 *
 * PySR style: DynamicExpressions' string_tree writes a binary operator whose
 * name does not start with + - * / ^ . > < = as a call, `max(x0, x1)`, and
 * SR.jl's hall of fame uses the plain names (greater, not >).
 *
 * Sympy style: expressions sympy's sympify reads without locals and that
 * evaluate as the engine does, after PySR's export_sympy.py sympy_mappings:
 * Max, Min, Mod, Piecewise for the comparisons, cond and logical_or/and,
 * log(x, 10), log(1 + x). Every operand is written once, so the text of a
 * nested expression stays linear in its size: relu is Max(0, x) and cbrt
 * real_root(x, 3) (PySR: Piecewise and sign(x)*cbrt(abs(x))). Where PySR's
 * mapping is not the engine's function this writes the engine's: sinc is
 * Julia's normalised sinc (sympy's sinc is sin(x)/x, so sinc(pi*x)); round
 * ties to even (PySR maps it to ceiling(x - 0.5), which rounds 1.5 to 1).
 */
#include <stddef.h>

#include "sr/sr_int.h"

const char *srt_sr__expr_form(srt_op_t op, srt_expr_style_t style)
{
    if (style == SRT_EXPR_STYLE_SYMPY) {
        switch (op) {
        case SRT_OP_MAX: return "Max(%1, %2)";
        case SRT_OP_MIN: return "Min(%1, %2)";
        case SRT_OP_MOD: return "Mod(%1, %2)";
        case SRT_OP_GREATER: return "Piecewise((1, %1 > %2), (0, True))";
        case SRT_OP_LESS: return "Piecewise((1, %1 < %2), (0, True))";
        case SRT_OP_GREATER_EQUAL: return "Piecewise((1, %1 >= %2), (0, True))";
        case SRT_OP_LESS_EQUAL: return "Piecewise((1, %1 <= %2), (0, True))";
        case SRT_OP_COND: return "Piecewise((%2, %1 > 0), (0, True))";
        case SRT_OP_LOGICAL_OR: return "Piecewise((1, (%1 > 0) | (%2 > 0)), (0, True))";
        case SRT_OP_LOGICAL_AND: return "Piecewise((1, (%1 > 0) & (%2 > 0)), (0, True))";
        case SRT_OP_CBRT: return "real_root(%1, 3)";
        case SRT_OP_INV: return "(1/%1)";
        case SRT_OP_LOG10: return "log(%1, 10)";
        case SRT_OP_LOG2: return "log(%1, 2)";
        case SRT_OP_LOG1P: return "log(1 + %1)";
        case SRT_OP_RELU: return "Max(0, %1)";
        case SRT_OP_SINC: return "sinc(pi*%1)";
        /* floor(x + 1/2), less one at an odd tie: ties to even; a Lambda so
         * that the operand is written once (nested forms stay linear) */
        case SRT_OP_ROUND:
            return "Lambda(_t, Piecewise((floor(_t + 1/2) - 1, Eq(Mod(_t + 1/2, 2), 1)), "
                   "(floor(_t + 1/2), True)))(%1)";
        case SRT_OP_CEIL: return "ceiling(%1)";
        default: return NULL; /* sign asinh acosh atanh erf erfc gamma floor: name(x) */
        }
    }
    switch (op) {
    case SRT_OP_MAX: return "max(%1, %2)";
    case SRT_OP_MIN: return "min(%1, %2)";
    case SRT_OP_MOD: return "mod(%1, %2)";
    case SRT_OP_GREATER: return "greater(%1, %2)";
    case SRT_OP_LESS: return "less(%1, %2)";
    case SRT_OP_GREATER_EQUAL: return "greater_equal(%1, %2)";
    case SRT_OP_LESS_EQUAL: return "less_equal(%1, %2)";
    case SRT_OP_COND: return "cond(%1, %2)";
    case SRT_OP_LOGICAL_OR: return "logical_or(%1, %2)";
    case SRT_OP_LOGICAL_AND: return "logical_and(%1, %2)";
    default: return NULL;
    }
}
