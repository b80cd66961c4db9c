package dev.dbchaos.demo.order;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * What a shopper asks to buy.
 *
 * @param sneakerId the sneaker
 * @param size the size
 * @param quantity how many pairs, at most 5: it is a drop, not a warehouse sale
 */
public record OrderRequest(@NotNull @Positive Long sneakerId, @NotBlank @Size(max = 10) String size,
		@NotNull @Min(1) @Max(5) Integer quantity) {

}
